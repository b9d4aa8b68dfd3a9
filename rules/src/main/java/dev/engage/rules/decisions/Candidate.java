package dev.engage.rules.decisions;

import dev.engage.rules.definition.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An action that may be put before a customer: the open action of a rule that fired (until its ttl)
 * or an offer they are eligible for. Arbitration ranks candidates; the contact policy decides
 * whether and how the best ones are sent.
 *
 * @param actionId stable for the same firing or offer, so a replay decides the same ids
 * @param sourceId the rule's or offer's id
 * @param message the text for the customer; null when there is none
 * @param priority 0 to 100, from the definition
 * @param value what it is worth to the business (at least 0)
 * @param channels what the definition asks to be sent on: a channel, {@code preferred}, or nothing
 *     (only shown)
 * @param cooldown how long the source is not offered or sent again after a response or a send
 * @param ignoresQuietHours a transactional rule's message that goes out even in quiet hours
 * @param causeId the event behind it (the trigger's first cause, or the offer itself)
 * @param explanation why it applies, in words: the rule's explanation or the offer's eligibility
 * @param facts the values that made it apply, by name
 */
public record Candidate(
    String actionId,
    Origin origin,
    String sourceId,
    int sourceVersion,
    String code,
    String title,
    String message,
    int priority,
    double value,
    Purpose purpose,
    List<String> channels,
    boolean agentVisible,
    Instant openedAt,
    Instant expiresAt,
    Duration cooldown,
    boolean ignoresQuietHours,
    String causeId,
    String explanation,
    Map<String, String> facts) {
  /** Where a candidate comes from. */
  public enum Origin {
    /** A rule fired for something the customer did (or that happened to them). */
    TRIGGER,
    /** An always-on offer the customer is eligible for. */
    OFFER
  }

  public Candidate {
    channels = List.copyOf(channels);
    facts = Map.copyOf(facts);
  }

  /** Whether it is still open at that instant. */
  public boolean isOpenAt(Instant at) {
    return at.isBefore(expiresAt);
  }

  /** Whether it asks to be sent at all. */
  public boolean notifies() {
    return !channels.isEmpty();
  }

  /** Priority times value: what decides who waits when a cap is reached. */
  public double priorityTimesValue() {
    return priority * value;
  }
}
