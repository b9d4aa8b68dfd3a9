package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An always-on action marketing offers every eligible customer (a card upgrade, a loyalty bonus),
 * ranked beside the actions of fired rules. Unlike a rule it waits for no event: a customer whose
 * profile meets the eligibility condition is offered it while it is active, at most once per
 * cooldown after they responded.
 *
 * @param description null when not given
 * @param eligibility over {@code profile} and {@code now}; null for everyone
 * @param title what agents and apps see; the name when not given
 * @param template the message for the customer; null when the offer is only shown, never sent
 * @param channels the channels it may be sent on (email, sms, push, in_app); empty: never sent
 * @param priority 0 to 100
 * @param ttl how long an offer made stays open
 * @param cooldown how long it is not offered again after the customer accepted or dismissed it
 * @param activeFrom null for "already active"
 * @param activeUntil null for "no end"
 * @param agent whether agents see it
 * @param version the published version (0 for a definition not published yet)
 */
public record Offer(
    String id,
    String name,
    String description,
    String owner,
    boolean enabled,
    Condition eligibility,
    String code,
    String title,
    String template,
    BusinessValue value,
    List<String> channels,
    int priority,
    Duration ttl,
    Duration cooldown,
    Instant activeFrom,
    Instant activeUntil,
    boolean agent,
    Purpose purpose,
    int version)
    implements Definition {
  public static final String KIND = "offer";

  public Offer {
    channels = List.copyOf(channels);
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Whether the offer is enabled and within its active period at that instant. */
  public boolean isActiveAt(Instant at) {
    return enabled
        && (activeFrom == null || !at.isBefore(activeFrom))
        && (activeUntil == null || at.isBefore(activeUntil));
  }

  /** The same offer as published under a version. */
  public Offer withVersion(int published) {
    return new Offer(
        id,
        name,
        description,
        owner,
        enabled,
        eligibility,
        code,
        title,
        template,
        value,
        channels,
        priority,
        ttl,
        cooldown,
        activeFrom,
        activeUntil,
        agent,
        purpose,
        published);
  }
}
