package dev.engage.delivery.channel;

import java.time.Duration;

/** What one send on a channel came to. */
public sealed interface SendOutcome {
  /** The provider took it; {@code providerMessageId} is its id for the message. */
  record Sent(String providerMessageId) implements SendOutcome {}

  /**
   * Worth another try later: a 5xx, a 429, a timeout or a refused connection. {@code retryAfter} is
   * the provider's own wish (its {@code Retry-After}), or null.
   */
  record Retry(String reason, Duration retryAfter) implements SendOutcome {}

  /** Will never work as it is: a permanent 4xx or 5xx SMTP reply, no address. */
  record Failed(String reason) implements SendOutcome {}
}
