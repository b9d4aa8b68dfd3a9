package dev.engage.delivery.config;

import java.net.URI;
import java.time.Duration;

/**
 * One provider a channel sends through: an SMTP server for email, or a webhook URL for SMS and push
 * (signed with its Standard Webhooks secret). Each provider has its own queue, rate limit and
 * circuit breaker; {@code fallback} names another provider of the same channel that takes over
 * while this one's breaker is open or after its last try.
 */
public record ProviderConfig(
    String name,
    String channel,
    URI url,
    String secret,
    SmtpConfig smtp,
    Duration timeout,
    double ratePerSecond,
    String fallback) {

  /** The SMTP server of an email provider. */
  public record SmtpConfig(
      String host, int port, String username, String password, boolean startTls) {}

  public boolean isEmail() {
    return "email".equals(channel);
  }
}
