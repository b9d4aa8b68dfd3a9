package dev.engage.delivery.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.delivery.DeliveryFixture;
import dev.engage.delivery.config.ProviderConfig;
import dev.engage.schemas.signing.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
  private final WebhookSender sender =
      new WebhookSender(
          new ProviderConfig(
              "gw",
              "sms",
              URI.create("http://127.0.0.1:1/sms"),
              WebhookSignature.newSecret(),
              null,
              Duration.ofSeconds(1),
              10,
              null),
          HttpClient.newHttpClient(),
          clock);

  @Test
  void retryAfterIsReadInSecondsOrAsAnHttpDate() {
    assertThat(sender.retryAfter("120")).isEqualTo(Duration.ofMinutes(2));
    assertThat(sender.retryAfter("Wed, 02 Dec 2026 10:00:30 GMT"))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(sender.retryAfter("Wed, 02 Dec 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(sender.retryAfter("soon")).isNull();
    assertThat(sender.retryAfter(null)).isNull();
  }

  @Test
  void anUnreachableProviderIsWorthAnotherTry() {
    var outcome = sender.send(DeliveryFixture.notification("ann", "sms"), "+4915100000000");
    assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
    assertThat(((SendOutcome.Retry) outcome).reason()).startsWith("gw unreachable");
  }
}
