package dev.engage.rules.decisions;

import dev.engage.avro.ResponseType;
import java.util.Optional;

/**
 * What a response teaches the propensity estimates. Accepted and clicked are successes; dismissed
 * is a failure, and so is an action left unanswered until its ttl (the operator counts that one
 * when the action expires). Delivered, opened, bounced and failed say nothing about whether the
 * customer wanted the action: they are not counted (bounced and failed give a cap slot back).
 */
public final class ResponseOutcome {
  private ResponseOutcome() {}

  /** True for a success, false for a failure, empty when the response is not an outcome. */
  public static Optional<Boolean> of(ResponseType type) {
    return switch (type) {
      case ACCEPTED, CLICKED -> Optional.of(true);
      case DISMISSED -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** Whether delivery reports the notification was not delivered: its cap slot is given back. */
  public static boolean undelivered(ResponseType type) {
    return type == ResponseType.BOUNCED || type == ResponseType.FAILED;
  }
}
