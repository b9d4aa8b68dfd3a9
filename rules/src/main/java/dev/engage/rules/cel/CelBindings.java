package dev.engage.rules.cel;

import com.google.common.collect.ImmutableMap;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import java.time.Instant;
import java.util.Map;

/**
 * The variables a compiled condition reads ({@code event}, {@code profile}, {@code now}), bound to
 * a touchpoint and a profile. Immutable, so CEL evaluates against them as they are rather than
 * copying them for every condition.
 */
public final class CelBindings {
  private CelBindings() {}

  /**
   * For conditions of {@link ConditionCompiler.Scope#EVENT}: the event, the profile (empty when
   * null) and {@code now} at the event's time.
   */
  public static Map<String, Object> event(Touchpoint event, CustomerProfile profile) {
    return ImmutableMap.of(
        "event", AvroCelValues.of(event),
        "profile", profile(profile),
        "now", AvroCelValues.timestamp(event.getOccurredAt()));
  }

  /**
   * For conditions of {@link ConditionCompiler.Scope#PROFILE} (audiences, segments, scoring
   * traits): the profile (empty when null) and {@code now}.
   */
  public static Map<String, Object> profile(CustomerProfile profile, Instant now) {
    return ImmutableMap.of("profile", profile(profile), "now", AvroCelValues.timestamp(now));
  }

  private static Map<String, Object> profile(CustomerProfile profile) {
    return profile == null ? Map.of() : AvroCelValues.of(profile);
  }
}
