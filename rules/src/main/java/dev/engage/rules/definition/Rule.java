package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;
import java.time.Duration;
import java.time.Instant;

/**
 * A validated trigger rule, as marketing wrote it: who it is for (audience), when it fires, what it
 * asks for, how often at most, and when it is active.
 *
 * @param audience condition over the profile; null for everyone
 * @param activeFrom null for "already active"
 * @param activeUntil null for "no end"
 * @param purpose marketing (the default) or transactional
 * @param ignoresQuietHours a transactional rule's message goes out even in quiet hours
 * @param version the published version (0 for a definition not published yet)
 */
public record Rule(
    String id,
    String name,
    String description,
    String owner,
    boolean enabled,
    Condition audience,
    Trigger trigger,
    Action action,
    Duration cooldown,
    Instant activeFrom,
    Instant activeUntil,
    Purpose purpose,
    boolean ignoresQuietHours,
    int version)
    implements Definition {
  public static final String KIND = "rule";

  @Override
  public String kind() {
    return KIND;
  }

  /** The same rule as published under a version. */
  public Rule withVersion(int published) {
    return new Rule(
        id,
        name,
        description,
        owner,
        enabled,
        audience,
        trigger,
        action,
        cooldown,
        activeFrom,
        activeUntil,
        purpose,
        ignoresQuietHours,
        published);
  }

  /**
   * What the rule asks for when it fires.
   *
   * @param channel preferred, email, sms, push, in_app or none
   * @param value what the action is worth (the V of the ranking); 1 when not given
   */
  public record Action(
      String code,
      String channel,
      String template,
      boolean agent,
      int priority,
      Duration ttl,
      BusinessValue value) {}
}
