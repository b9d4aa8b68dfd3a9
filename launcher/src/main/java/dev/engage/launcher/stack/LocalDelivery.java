package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.signing.WebhookSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local stack's delivery files, created on the first start and then kept (edit them to send
 * through real providers): {@code delivery.yaml} sends email to the local mailbox's SMTP port and
 * SMS and push to its webhook routes, signed with a secret the mailbox verifies. The unsubscribe
 * secret delivery shares with the API is {@link LocalSecrets#unsubscribeSecret}.
 */
public final class LocalDelivery {
  private LocalDelivery() {}

  public static Path dir(StackConfig config) {
    return config.dataDir().resolve("delivery");
  }

  public static Path configFile(StackConfig config) {
    return dir(config).resolve("delivery.yaml");
  }

  /** The Standard Webhooks secret of the local SMS and push providers, for the mailbox. */
  public static Path webhookSecretFile(StackConfig config) {
    return dir(config).resolve("webhook.secret");
  }

  static void createIfMissing(StackConfig config) {
    try {
      Files.createDirectories(dir(config));
      if (!Files.exists(webhookSecretFile(config))) {
        Files.writeString(webhookSecretFile(config), WebhookSignature.newSecret());
      }
      if (!Files.exists(configFile(config))) {
        Files.writeString(configFile(config), localConfig(config));
      }
    } catch (IOException e) {
      throw new ServiceException("cannot write the delivery files: " + e.getMessage());
    }
  }

  private static String localConfig(StackConfig config) throws IOException {
    String secret = Files.readString(webhookSecretFile(config)).trim();
    return """
        # Engage delivery (see delivery/README.md). Made by engage up for the local mailbox,
        # which catches everything: point the providers at real ones to send for real.
        from: "Engage <notifications@engage.local>"
        unsubscribeUrl: %s/v1/unsubscribe
        retry: {maxAttempts: 8, firstDelay: 1s, maxDelay: 60s}
        breaker: {failures: 5, openFor: 15s}
        providers:
          - {name: local-smtp, channel: email, smtp: {host: localhost, port: %d}, timeout: 10s, ratePerSecond: 2000}
          - {name: local-sms, channel: sms, url: "%s/sms", secret: "%s", timeout: 5s, ratePerSecond: 2000}
          - {name: local-push, channel: push, url: "%s/push", secret: "%s", timeout: 5s, ratePerSecond: 2000}
        """
        .formatted(
            config.apiUrl(),
            config.mailSmtpPort(),
            config.mailboxUrl(),
            secret,
            config.mailboxUrl(),
            secret);
  }
}
