package dev.engage.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventNamesTest {

  @Test
  void namesAsSdksAndMarketersWriteThem() {
    assertThat(EventNames.snakeCase("Order Completed")).isEqualTo("order_completed");
    assertThat(EventNames.snakeCase("addToCart")).isEqualTo("add_to_cart");
    assertThat(EventNames.snakeCase("HTMLPageViewed")).isEqualTo("html_page_viewed");
    assertThat(EventNames.snakeCase("  --Sign up!  ")).isEqualTo("sign_up");
    assertThat(EventNames.snakeCase("page_viewed")).isEqualTo("page_viewed");
    assertThat(EventNames.snakeCase("a__b")).isEqualTo("a_b");
    assertThat(EventNames.snakeCase("_x_")).isEqualTo("x");
    assertThat(EventNames.snakeCase("")).isEmpty();
  }

  /** Names already in snake_case skip the patterns: the answer must be the patterns' answer. */
  @Test
  void answersAsTheRegularExpressionsDoForRandomNames() {
    Random random = new Random(42);
    String alphabet = "abcxyzABCXYZ019_ -.!";
    for (int n = 0; n < 100_000; n++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(12);
      boolean snake = random.nextBoolean(); // half of them from snake_case's own characters
      for (int i = 0; i < length; i++) {
        name.append(
            snake
                ? "abz09_".charAt(random.nextInt(6))
                : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = name.toString();
      assertThat(EventNames.snakeCase(text)).as("'%s'", text).isEqualTo(byPatterns(text));
    }
  }

  /** What snakeCase answered before it had a fast path. */
  private static String byPatterns(String name) {
    String spaced =
        name.trim()
            .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2");
    return spaced.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }
}
