package dev.engage.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The five splits on a scripted journey, checked by hand, and sums of 1 on random ones. */
class AttributionModelTest {
  private static final Instant CONVERTED = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);

  /** Web 14 days before, an email 7 days before, the app 1 day before, SMS at the conversion. */
  private static final List<Touch> JOURNEY =
      List.of(
          touch("web", 14),
          new Touch(
              "ntf-1",
              Touch.NOTIFICATION,
              CONVERTED.minus(Duration.ofDays(7)),
              "email",
              "spring-sale"),
          touch("app", 1),
          new Touch("ntf-2", Touch.NOTIFICATION, CONVERTED, "sms", "cart-abandonment"));

  @Test
  void aScriptedJourneyIsCreditedAsWorkedOutByHand() {
    assertThat(credits(AttributionModel.FIRST_TOUCH)).containsExactly(1, 0, 0, 0);
    assertThat(credits(AttributionModel.LAST_TOUCH)).containsExactly(0, 0, 0, 1);
    assertThat(credits(AttributionModel.LINEAR)).containsExactly(0.25, 0.25, 0.25, 0.25);
    assertThat(credits(AttributionModel.POSITION_BASED))
        .containsExactly(new double[] {0.4, 0.1, 0.1, 0.4}, within(1e-12));
    // weights 2^-2, 2^-1, 2^-(1/7), 1: 0.25, 0.5, 0.905724, 1; sum 2.655724
    double[] decay = credits(AttributionModel.TIME_DECAY);
    assertThat(decay[0]).isCloseTo(0.25 / 2.655724, within(1e-6));
    assertThat(decay[1]).isCloseTo(0.5 / 2.655724, within(1e-6));
    assertThat(decay[2]).isCloseTo(0.905724 / 2.655724, within(1e-6));
    assertThat(decay[3]).isCloseTo(1 / 2.655724, within(1e-6));
  }

  @Test
  void oneOrTwoTouchesAndNone() {
    List<Touch> two = JOURNEY.subList(2, 4);
    assertThat(AttributionModel.POSITION_BASED.credits(two, CONVERTED, WEEK))
        .containsExactly(0.5, 0.5);
    assertThat(AttributionModel.TIME_DECAY.credits(JOURNEY.subList(0, 1), CONVERTED, WEEK))
        .containsExactly(1);
    for (AttributionModel model : AttributionModel.values()) {
      assertThat(model.credits(List.of(), CONVERTED, WEEK)).isEmpty();
    }
  }

  @Test
  void everySplitOfRandomJourneysSumsToOne() {
    SplittableRandom random = new SplittableRandom(7);
    for (int journey = 0; journey < 1_000; journey++) {
      Touch[] touches = new Touch[1 + random.nextInt(20)];
      for (int i = 0; i < touches.length; i++) {
        touches[i] = touch("web", random.nextInt(30));
      }
      Arrays.sort(touches, (a, b) -> a.at().compareTo(b.at()));
      for (AttributionModel model : AttributionModel.values()) {
        double[] credits = model.credits(List.of(touches), CONVERTED, WEEK);
        assertThat(Arrays.stream(credits).sum()).isCloseTo(1, within(1e-9));
        assertThat(Arrays.stream(credits).allMatch(c -> c >= 0 && c <= 1)).isTrue();
      }
    }
  }

  private static double[] credits(AttributionModel model) {
    return model.credits(JOURNEY, CONVERTED, WEEK);
  }

  private static Touch touch(String channel, int daysBefore) {
    return new Touch(
        channel + "-" + daysBefore,
        Touch.TOUCHPOINT,
        CONVERTED.minus(Duration.ofDays(daysBefore)),
        channel,
        null);
  }
}
