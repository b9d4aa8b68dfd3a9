package dev.engage.ingestion.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserSettingsTest {
  private final Source shop =
      new Source("shop", "wk_shop_0123456789", "web", List.of("https://shop.example.com"));

  @Test
  void pointsTheSdkAtTheCollectorAndGivesItNothingElseToLoad() {
    JsonNode document = BrowserSettings.of(shop, "https", "collect.example.com");

    assertThat(document.at("/integrations/Segment.io/apiKey").asText())
        .isEqualTo("wk_shop_0123456789");
    assertThat(document.at("/integrations/Segment.io/apiHost").asText())
        .isEqualTo("collect.example.com/v1");
    assertThat(document.at("/integrations/Segment.io/protocol").asText()).isEqualTo("https");
    assertThat(document.path("integrations").size())
        .as("one integration: analytics-next loads no device-mode destinations")
        .isEqualTo(1);
    assertThat(document.path("remotePlugins").isEmpty()).isTrue();
    assertThat(document.path("enabledMiddleware").isEmpty()).isTrue();
    assertThat(document.at("/metrics/sampleRate").asInt())
        .as("no error counters posted to Segment")
        .isZero();
  }
}
