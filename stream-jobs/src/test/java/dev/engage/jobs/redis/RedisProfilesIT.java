package dev.engage.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.profile.ErasedProfile;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * The identifier index agents look customers up by follows the profile versions written to a real
 * redis-server: what a customer gains points at them, what they lose or take with them into erasure
 * does not, and nothing moves backwards.
 */
@ExtendWith(SharedStack.class)
class RedisProfilesIT {
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final String OLD_EMAIL = RedisKeys.identity("email", "old-hash");
  private static final String NEW_EMAIL = RedisKeys.identity("email", "new-hash");
  private static final String PHONE = RedisKeys.identity("phone", "phone-hash");

  private static JedisPooled redis;
  private static RedisProfiles profiles;

  @BeforeAll
  static void connect(StackConfig stack) {
    redis = new JedisPooled(URI.create("redis://localhost:" + stack.redisPort() + "/7"));
    profiles = new RedisProfiles(redis);
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flushDB();
  }

  @Test
  void aChangedEmailNoLongerFindsTheCustomerAndAReplayDoesNotBringItBack() {
    CustomerProfile first = profile("ann", 1, Map.of("email", "old-hash", "phone", "phone-hash"));
    CustomerProfile changed = profile("ann", 2, Map.of("email", "new-hash", "phone", "phone-hash"));

    assertThat(profiles.write(List.of(first))).isEqualTo(1);
    assertThat(redis.get(OLD_EMAIL)).isEqualTo("ann");
    assertThat(redis.get(PHONE)).isEqualTo("ann");

    assertThat(profiles.write(List.of(changed))).isEqualTo(1);
    assertThat(redis.exists(OLD_EMAIL)).isFalse();
    assertThat(redis.get(NEW_EMAIL)).isEqualTo("ann");
    assertThat(redis.get(PHONE)).isEqualTo("ann");

    // an at-least-once sink or rebuild-redis may send the old version again
    assertThat(profiles.write(List.of(first))).isZero();
    assertThat(redis.exists(OLD_EMAIL)).isFalse();
    assertThat(redis.hget(RedisKeys.profile("ann"), "version")).isEqualTo("2");
  }

  @Test
  void anIdentifierTakenOverByAnotherCustomerStaysTheirs() {
    profiles.write(List.of(profile("ann", 1, Map.of("email", "old-hash"))));
    profiles.write(List.of(profile("bob", 1, Map.of("email", "old-hash"))));

    profiles.write(List.of(profile("ann", 2, Map.of("email", "new-hash"))));

    assertThat(redis.get(OLD_EMAIL)).isEqualTo("bob");
    assertThat(redis.get(NEW_EMAIL)).isEqualTo("ann");
  }

  @Test
  void erasureTakesEveryIndexEntryOfTheCustomerEvenFromATombstoneWithoutIdentities() {
    profiles.write(List.of(profile("ann", 1, Map.of("email", "old-hash", "phone", "phone-hash"))));
    profiles.write(List.of(profile("bob", 1, Map.of("email", "new-hash"))));

    // rebuild-redis meets a tombstone: it knows the customer, not their identifiers
    assertThat(profiles.write(List.of(ErasedProfile.of("ann", T0)))).isEqualTo(1);

    assertThat(redis.exists(OLD_EMAIL)).isFalse();
    assertThat(redis.exists(PHONE)).isFalse();
    assertThat(RedisKeys.all("ann").stream().map(redis::exists)).containsOnly(false);
    assertThat(redis.get(NEW_EMAIL)).isEqualTo("bob");
  }

  @Test
  void aProfileMergedIntoAnotherGivesUpItsIdentifiers() {
    profiles.write(List.of(profile("visitor", 1, Map.of("email", "old-hash"))));
    CustomerProfile forwarding = profile("visitor", 2, Map.of("email", "old-hash"));
    forwarding.setMergedInto("ann");

    profiles.write(List.of(forwarding, profile("ann", 3, Map.of("email", "old-hash"))));

    assertThat(redis.get(OLD_EMAIL)).isEqualTo("ann");
    assertThat(redis.exists(RedisKeys.timeline("visitor"))).isFalse();
  }

  private static CustomerProfile profile(String id, long version, Map<String, String> identities) {
    return CustomerProfile.newBuilder()
        .setCustomerId(id)
        .setVersion(version)
        .setFirstSeen(T0)
        .setLastSeen(T0)
        .setUpdatedAt(T0)
        .setIdentities(identities)
        .build();
  }
}
