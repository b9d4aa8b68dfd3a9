package dev.engage.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engage.avro.Attribution;
import dev.engage.avro.TouchCredit;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.JobTopics;
import dev.engage.jobs.profile.ScriptedTouchpoints;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scripted journey through the whole application on the real broker, registry and Redis: the
 * attributions on the (read_committed) topic credit every touch as worked out by hand, and each
 * conversion's credits sum to 1 under every model.
 */
@ExtendWith(SharedStack.class)
class AttributionIT {
  private static final int DAY = 24 * 60;

  @Test
  void aScriptedJourneysConversionsAreCreditedAsWorkedOutByHand(StackConfig stack)
      throws Exception {
    JobTopics topics = JobTopics.create(stack);
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(40));
    ScriptedTouchpoints script = new ScriptedTouchpoints(start);
    Touchpoint visit = script.event("at-ann", "page_view", "web", 0);
    visit.setAttributes(Map.of("campaign", "search-ads"));
    JobClient job = topics.startApplication("attribution");
    try {
      topics.send(
          topics.catalog().touchpoints(),
          Touchpoint::getCustomerId,
          List.of(
              script.event("at-ann", "page_view", "web", -DAY), // 31 days before: out of the window
              visit, // 30 days before the purchase: still in
              script.event("at-ann", "app_open", "app", 23 * DAY),
              script.event("at-ann", "app_open", "app", 29 * DAY),
              script.purchase("at-ann", 30 * DAY, 80.0, "books"),
              // a second purchase a day later: the first one is a touch of it
              script.purchase("at-ann", 31 * DAY, 20.0, "books")));

      List<Attribution> found =
          topics.records(
              job,
              topics.catalog().attributions(),
              a -> a.getCustomerId().equals("at-ann"),
              2,
              Duration.ofSeconds(60));

      assertThat(found).hasSize(2);
      Attribution first = found.get(0);
      assertThat(first.getValue()).isEqualTo(80.0);
      List<TouchCredit> credits = first.getCredits();
      assertThat(credits)
          .extracting(TouchCredit::getChannel)
          .containsExactly("web", "app", "app", "pos");
      assertThat(credits.get(0).getCampaign()).isEqualTo("search-ads");
      // ages 30, 7, 1 and 0 days, half-life 7: weights 2^(-30/7), 2^-1, 2^(-1/7), 1
      double[] weights = {Math.pow(2, -30 / 7.0), 0.5, Math.pow(2, -1 / 7.0), 1};
      double sum = weights[0] + weights[1] + weights[2] + weights[3];
      for (int i = 0; i < 4; i++) {
        assertThat(credits.get(i).getTimeDecay()).isCloseTo(weights[i] / sum, within(1e-9));
        assertThat(credits.get(i).getLinear()).isEqualTo(0.25);
      }
      assertThat(credits.stream().mapToDouble(TouchCredit::getPositionBased).toArray())
          .containsExactly(new double[] {0.4, 0.1, 0.1, 0.4}, within(1e-12));
      assertThat(credits)
          .extracting(TouchCredit::getFirstTouch)
          .containsExactly(1.0, 0.0, 0.0, 0.0);
      // the visit is 31 days before the second purchase: out of its window
      assertThat(found.get(1).getCredits())
          .extracting(TouchCredit::getTouchId)
          .doesNotContain(visit.getEventId())
          .hasSize(4);
      for (Attribution attribution : found) {
        for (var model :
            List.<java.util.function.ToDoubleFunction<TouchCredit>>of(
                TouchCredit::getFirstTouch,
                TouchCredit::getLastTouch,
                TouchCredit::getLinear,
                TouchCredit::getTimeDecay,
                TouchCredit::getPositionBased)) {
          assertThat(attribution.getCredits().stream().mapToDouble(model).sum())
              .isCloseTo(1, within(1e-9));
        }
      }
    } finally {
      job.cancel().get();
    }
  }
}
