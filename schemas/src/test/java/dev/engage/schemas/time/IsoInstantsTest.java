package dev.engage.schemas.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path answers exactly as {@link OffsetDateTime#parse}, for good text and bad. */
class IsoInstantsTest {
  private static final String NOISE = "0123456789-:T.Z+tz 9";

  @Test
  void theFormsSdksSendAreReadAsTheJdkReadsThem() {
    assertThat(IsoInstants.parse("2026-11-23T10:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(IsoInstants.parse("2026-11-23T10:00:00.123+01:00"))
        .isEqualTo(Instant.parse("2026-11-23T09:00:00.123Z"));
    assertThat(IsoInstants.parse("2024-02-29T23:59:59.999999999-05:30"))
        .isEqualTo(Instant.parse("2024-03-01T05:29:59.999999999Z"));
    assertThat(IsoInstants.parse("2026-11-23T10:00Z")) // no seconds: the JDK's path
        .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
  }

  @Test
  void invalidTextFailsAsTheJdkFails() {
    for (String bad :
        new String[] {"2026-02-29T10:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23 10:00:00Z", ""}) {
      assertThatThrownBy(() -> IsoInstants.parse(bad)).isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void randomTextAndItsMutationsAgreeWithTheJdk() {
    Random random = new Random(20261207);
    for (int i = 0; i < 200_000; i++) {
      String text = mutate(random, valid(random));
      Object expected = outcome(() -> OffsetDateTime.parse(text).toInstant());
      Object actual = outcome(() -> IsoInstants.parse(text));
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }

  private static String valid(Random random) {
    Instant instant =
        Instant.ofEpochSecond(
            random.nextLong(-62_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
    ZoneOffset offset =
        random.nextInt(3) == 0
            ? ZoneOffset.UTC
            : ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
    int fraction = random.nextInt(11) - 1; // -1: none, 0..9 digits
    String pattern =
        "uuuu-MM-dd'T'HH:mm:ss" + (fraction > 0 ? "." + "S".repeat(fraction) : "") + "XXX";
    return instant.atOffset(offset).format(DateTimeFormatter.ofPattern(pattern));
  }

  private static String mutate(Random random, String text) {
    if (random.nextInt(3) == 0) {
      return text;
    }
    StringBuilder s = new StringBuilder(text);
    int at = random.nextInt(s.length());
    char c = NOISE.charAt(random.nextInt(NOISE.length()));
    switch (random.nextInt(3)) {
      case 0 -> s.setCharAt(at, c);
      case 1 -> s.deleteCharAt(at);
      default -> s.insert(at, c);
    }
    return s.toString();
  }

  private static Object outcome(java.util.concurrent.Callable<Instant> parse) {
    try {
      return parse.call();
    } catch (DateTimeParseException e) {
      return "refused";
    } catch (Exception e) {
      return e.getClass().getName();
    }
  }
}
