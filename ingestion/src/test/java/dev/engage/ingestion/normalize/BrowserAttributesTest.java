package dev.engage.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BrowserAttributesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void campaignReferrerDeviceAndConsentBecomeAttributes() throws Exception {
    JsonNode context =
        JSON.readTree(
            """
            {"campaign": {"source": "newsletter", "medium": "email", "name": "winter-sale",
                          "term": "boots", "content": "hero-banner", "id": "c-42"},
             "page": {"path": "/boots", "referrer": "https://www.google.com/"},
             "userAgent": "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
             "consent": {"categoryPreferences": {"Analytics": true, "Advertising": false}}}
            """);

    assertThat(BrowserAttributes.of(context))
        .containsEntry("utm_source", "newsletter")
        .containsEntry("utm_medium", "email")
        .containsEntry("utm_campaign", "winter-sale")
        .containsEntry("utm_term", "boots")
        .containsEntry("utm_content", "hero-banner")
        .containsEntry("utm_id", "c-42")
        .containsEntry("referrer", "https://www.google.com/")
        .containsEntry("device_class", "tablet")
        .containsEntry("consent_marketing", "false");
  }

  @Test
  void aServerEventWithoutBrowserContextGetsNone() throws Exception {
    assertThat(BrowserAttributes.of(JSON.readTree("{\"library\": {\"name\": \"analytics-node\"}}")))
        .isEmpty();
    assertThat(BrowserAttributes.of(JSON.missingNode())).isEmpty();
  }

  @Test
  void theDeviceClassComesFromTheUserAgentOrTheClientHints() throws Exception {
    assertThat(
            DeviceClass.of(
                ua(
                    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")))
        .contains("mobile");
    assertThat(
            DeviceClass.of(
                ua(
                    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")))
        .contains("tablet");
    assertThat(
            DeviceClass.of(
                ua(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")))
        .contains("desktop");
    assertThat(
            DeviceClass.of(
                ua(
                    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 SamsungBrowser/4.0 TV Safari/537.36")))
        .contains("tv");
    assertThat(
            DeviceClass.of(
                JSON.readTree(
                    "{\"userAgent\": \"Mozilla/5.0 (Linux; Android 10; K) Chrome/131.0 Safari/537.36\","
                        + " \"userAgentData\": {\"mobile\": true}}")))
        .as("Chrome's reduced user agent hides the phone; its client hints do not")
        .contains("mobile");
    assertThat(DeviceClass.of(JSON.createObjectNode())).isEmpty();
  }

  @Test
  void anyRefusedMarketingCategoryIsARefusal() throws Exception {
    assertThat(consent("{\"Marketing\": true, \"Targeting Cookies\": false}")).contains(false);
    assertThat(consent("{\"C0001\": true, \"C0004\": false}")).as("OneTrust ids").contains(false);
    assertThat(consent("{\"Advertising\": true, \"marketing\": true}")).contains(true);
    assertThat(
            MarketingConsent.of(
                JSON.readTree(
                    "{\"consentManagement\": {\"provider\": \"oneTrust\","
                        + " \"allowedConsentIds\": [\"C0001\"], \"deniedConsentIds\": [\"C0004\"]}}")))
        .as("RudderStack's consent context")
        .contains(false);
    assertThat(consent("{\"Analytics\": false, \"Functional\": true}"))
        .as("no marketing category named: nothing said about marketing")
        .isEmpty();
  }

  private static JsonNode ua(String userAgent) {
    return JSON.createObjectNode().put("userAgent", userAgent);
  }

  private static java.util.Optional<Boolean> consent(String preferences) throws Exception {
    return MarketingConsent.of(
        JSON.readTree("{\"consent\": {\"categoryPreferences\": " + preferences + "}}"));
  }
}
