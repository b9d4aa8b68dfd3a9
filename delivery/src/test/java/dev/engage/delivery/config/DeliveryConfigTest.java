package dev.engage.delivery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.engage.schemas.signing.WebhookSignature;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {
  private static final String SECRET = WebhookSignature.newSecret();

  @Test
  void readsProvidersAndFillsInDefaults() throws Exception {
    DeliveryConfig config =
        parse(
            """
            providers:
              - {name: smtp, channel: email, smtp: {host: mail.example.com, port: 587, startTls: true}}
              - {name: gw-a, channel: sms, url: "https://a.example.com/sms", secret: "%s", fallback: gw-b}
              - {name: gw-b, channel: sms, url: "https://b.example.com/sms", secret: "%s", timeout: 3s}
            """
                .formatted(SECRET, SECRET));

    assertThat(config.primaryFor("sms"))
        .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("gw-a"));
    assertThat(config.primaryFor("push")).isEmpty();
    assertThat(config.providers().get("gw-a").fallback()).isEqualTo("gw-b");
    assertThat(config.providers().get("gw-b").timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.providers().get("smtp").smtp().startTls()).isTrue();
    assertThat(config.retry().maxAttempts()).isEqualTo(6);
    assertThat(config.breaker().openFor()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aMistakeNamesTheSettingItIsIn() {
    assertThatThrownBy(() -> parse("providers: [{name: x, channel: fax}]"))
        .hasMessage("providers[0].channel: 'fax' is not email, sms or push");
    assertThatThrownBy(() -> parse("providers: [{name: x, channel: sms, url: 'http://a/b'}]"))
        .hasMessage("providers[0].secret: missing");
    assertThatThrownBy(
            () ->
                parse(
                    "providers: [{name: x, channel: sms, url: 'http://a/b', secret: whsec_AAAA}]"))
        .hasMessageStartingWith("providers[0].secret: a webhook secret needs at least 24 bytes");
    assertThatThrownBy(() -> parse("retry: {maxAttempts: 3, firstDelay: soon}"))
        .hasMessageStartingWith("retry.firstDelay: 'soon' is not a duration");
    assertThatThrownBy(() -> parse("from: 'not an address'"))
        .hasMessage("from: 'not an address' is not an email address");
    assertThatThrownBy(() -> parse("retries: {maxAttempts: 3}"))
        .hasMessageStartingWith("retries: unknown setting");
    assertThatThrownBy(
            () ->
                parse(
                    "providers: [{name: a, channel: sms, url: 'http://a/b', secret: '%s', fallback: c}]"
                        .formatted(SECRET)))
        .hasMessage("provider a: fallback 'c' is not another provider of channel sms");
  }

  private static DeliveryConfig parse(String yaml) throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    return DeliveryConfig.parse(root);
  }
}
