package dev.engage.rules.decisions;

import dev.engage.rules.definition.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Candidates for tests: a rule's action opened at an instant, with what each test varies. */
final class TestCandidates {
  private TestCandidates() {}

  static Candidate rule(String ruleId, int priority, double value, String channel, Instant at) {
    return new Candidate(
        DecisionIds.action("ann", ruleId + "@" + at),
        Candidate.Origin.TRIGGER,
        ruleId,
        1,
        ruleId.toUpperCase().replace('-', '_'),
        ruleId,
        "message of " + ruleId,
        priority,
        value,
        Purpose.MARKETING,
        channel == null ? List.of() : List.of(channel),
        true,
        at,
        at.plus(Duration.ofHours(24)),
        Duration.ofDays(1),
        false,
        "cause-of-" + ruleId + "@" + at,
        ruleId + " fired",
        Map.of());
  }

  static Candidate withCause(Candidate c, String causeId) {
    return copy(c, c.purpose(), c.ignoresQuietHours(), c.expiresAt(), causeId, c.code());
  }

  static Candidate transactional(Candidate c, boolean ignoresQuietHours) {
    return copy(c, Purpose.TRANSACTIONAL, ignoresQuietHours, c.expiresAt(), c.causeId(), c.code());
  }

  static Candidate expiringAt(Candidate c, Instant expiresAt) {
    return copy(c, c.purpose(), c.ignoresQuietHours(), expiresAt, c.causeId(), c.code());
  }

  static Candidate withCode(Candidate c, String code) {
    return copy(c, c.purpose(), c.ignoresQuietHours(), c.expiresAt(), c.causeId(), code);
  }

  private static Candidate copy(
      Candidate c,
      Purpose purpose,
      boolean ignoresQuietHours,
      Instant expiresAt,
      String causeId,
      String code) {
    return new Candidate(
        c.actionId(),
        c.origin(),
        c.sourceId(),
        c.sourceVersion(),
        code,
        c.title(),
        c.message(),
        c.priority(),
        c.value(),
        purpose,
        c.channels(),
        c.agentVisible(),
        c.openedAt(),
        expiresAt,
        c.cooldown(),
        ignoresQuietHours,
        causeId,
        c.explanation(),
        c.facts());
  }
}
