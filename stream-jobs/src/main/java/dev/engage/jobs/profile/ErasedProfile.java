package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import java.time.Instant;
import java.util.Map;

/**
 * The last version of an erased customer: nothing but the id, the version and {@code erasedAt}
 * (and, for Redis, the identifiers whose index entries must go). Sinks and readers drop the
 * customer on it; it is never shown to anyone.
 */
public final class ErasedProfile {
  private ErasedProfile() {}

  /** Where only the customer and the time are known (a tombstone, an erasure request). */
  public static CustomerProfile of(String customerId, Instant at) {
    return of(customerId, 0, at, null, Map.of());
  }

  public static CustomerProfile of(
      String customerId, long version, Instant at, Cause cause, Map<String, String> identities) {
    return CustomerProfile.newBuilder()
        .setCustomerId(customerId)
        .setVersion(version)
        .setFirstSeen(at)
        .setLastSeen(at)
        .setUpdatedAt(at)
        .setLastCause(cause)
        .setIdentities(identities)
        .setErasedAt(at)
        .build();
  }
}
