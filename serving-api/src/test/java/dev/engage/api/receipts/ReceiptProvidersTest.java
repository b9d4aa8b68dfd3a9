package dev.engage.api.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.schemas.signing.WebhookSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptProvidersTest {
  @TempDir Path dir;

  @Test
  void aProviderIsFoundByNameWithItsChannelAndVerifiesItsOwnSignatureOnly() throws Exception {
    String secret = WebhookSignature.newSecret();
    ReceiptProviders providers =
        ReceiptProviders.load(
            file("providers:\n  - { name: sms-gateway, channel: sms, secret: " + secret + " }\n"));

    ReceiptProviders.Provider sms = providers.find("sms-gateway").orElseThrow();
    assertThat(sms.channel()).isEqualTo("sms");
    String signature = WebhookSignature.of(secret).sign("msg_1", 1_700_000_000L, "{}");
    Instant then = Instant.ofEpochSecond(1_700_000_000L);
    assertThat(sms.signature().verify("msg_1", "1700000000", "{}", signature, then)).isTrue();
    String other =
        WebhookSignature.of(WebhookSignature.newSecret()).sign("msg_1", 1_700_000_000L, "{}");
    assertThat(sms.signature().verify("msg_1", "1700000000", "{}", other, then)).isFalse();
    assertThat(providers.find("push-gateway")).isEmpty();
  }

  @Test
  void aBadEntryStopsStartUpNamingTheOptionTheEntryAndTheField() throws Exception {
    assertThatThrownBy(
            () ->
                ReceiptProviders.load(
                    file("providers:\n  - { name: sms-gateway, channel: sms, secret: short }\n")))
        .hasMessageContaining("--receipt-secrets")
        .hasMessageContaining("providers[0] (sms-gateway): 'secret'");
    assertThatThrownBy(
            () ->
                ReceiptProviders.load(
                    file(
                        "providers:\n  - { name: fax, channel: fax, secret: "
                            + WebhookSignature.newSecret()
                            + " }\n")))
        .hasMessageContaining("'channel' must be one of email, sms, push");
    assertThatThrownBy(() -> ReceiptProviders.load(file("keys: []\n")))
        .hasMessageContaining("needs a list 'providers:");
    assertThatThrownBy(() -> ReceiptProviders.load(dir.resolve("missing.yaml")))
        .hasMessageContaining("--receipt-secrets: cannot read");
  }

  private Path file(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "receipts", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
