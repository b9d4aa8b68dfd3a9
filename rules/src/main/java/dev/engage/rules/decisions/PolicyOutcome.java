package dev.engage.rules.decisions;

import java.time.Instant;
import java.util.List;

/**
 * What the contact policy decided for one notification, with every step that led there.
 *
 * @param channel the channel to send on; null unless sent
 * @param at when to send (now) or when to decide again (the end of quiet hours, the next free
 *     slot); null when dropped
 */
public record PolicyOutcome(
    Candidate candidate, Verdict verdict, String channel, Instant at, List<PolicyStep> steps) {
  /** Send now, decide again later, or never. */
  public enum Verdict {
    SEND,
    DEFER,
    DROP
  }

  public PolicyOutcome {
    steps = List.copyOf(steps);
  }

  /** The last step's code: the reason for the verdict. */
  public ReasonCode reason() {
    return steps.get(steps.size() - 1).code();
  }
}
