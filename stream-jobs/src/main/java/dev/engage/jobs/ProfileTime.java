package dev.engage.jobs;

import dev.engage.avro.CustomerProfile;
import java.time.Instant;

/** The event time a profile version's figures hold as of, for the profile and trigger operators. */
public final class ProfileTime {
  private ProfileTime() {}

  /**
   * As of when the profile's time-dependent figures (windows, RFM, predicted value, segments, lead
   * score) hold: {@code valuedAt}, or {@code lastSeen} in a version written before profiles aged.
   */
  public static Instant valuedAt(CustomerProfile profile) {
    Instant valuedAt = profile.getValuedAt();
    return valuedAt == null || valuedAt.isBefore(profile.getLastSeen())
        ? profile.getLastSeen()
        : valuedAt;
  }
}
