package dev.engage.launcher.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.TriggerFired;
import dev.engage.schemas.redis.RedisKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the stack made of the probes, read from committed data only: each customer's Redis profile
 * against the probes the collector took for them, the probe rule's committed firings against the
 * same, and each Redis profile's version against the latest on the {@code profiles} topic.
 *
 * @param sent probes the collector took
 * @param lost probes a profile does not count (summed over customers)
 * @param doubled probes a profile counts more than once
 * @param firings committed firings of the probe rule
 * @param firingsLost probes with no firing
 * @param firingsDoubled firings of a probe that had fired already
 * @param redisBehind customers whose Redis version is not the latest on the profiles topic
 */
record ChaosOutcome(
    long sent,
    long lost,
    long doubled,
    long firings,
    long firingsLost,
    long firingsDoubled,
    long redisBehind) {
  static final String RULE_ID = "chaos-probe";
  private static final ObjectMapper JSON = new ObjectMapper();

  boolean right() {
    return lost == 0 && doubled == 0 && firingsLost == 0 && firingsDoubled == 0 && redisBehind == 0;
  }

  static ChaosOutcome read(
      ProbeTraffic traffic,
      UnifiedJedis redis,
      CommittedTail<TriggerFired> triggers,
      CommittedTail<CustomerProfile> profiles) {
    Map<String, Integer> fired = new HashMap<>();
    Set<String> causes = new HashSet<>();
    long[] firings = {0, 0};
    triggers.read(
        (key, firing) -> {
          if (firing.getRuleId().equals(RULE_ID) && traffic.isOurs(key)) {
            firings[0]++;
            if (causes.add(firing.getCauses().get(0).getEventId())) {
              fired.merge(key, 1, Integer::sum);
            } else {
              firings[1]++;
            }
          }
        });
    Map<String, Long> latest = new HashMap<>();
    profiles.read((key, profile) -> latest.merge(key, profile.getVersion(), Math::max));

    long sent = 0;
    long lost = 0;
    long doubled = 0;
    long firingsLost = 0;
    long redisBehind = 0;
    for (int i = 0; i < traffic.customers(); i++) {
      String customer = traffic.customer(i);
      long expected = traffic.sent(i);
      sent += expected;
      Map<String, String> stored = redis.hgetAll(RedisKeys.profile(customer));
      long counted = counted(stored.get("json"));
      lost += Math.max(0, expected - counted);
      doubled += Math.max(0, counted - expected);
      long distinctFirings = fired.getOrDefault(customer, 0);
      firingsLost += Math.max(0, expected - distinctFirings);
      firings[1] += Math.max(0, distinctFirings - expected);
      String version = stored.get("version");
      if (expected > 0
          && (version == null || Long.parseLong(version) != latest.getOrDefault(customer, -1L))) {
        redisBehind++;
      }
    }
    return new ChaosOutcome(sent, lost, doubled, firings[0], firingsLost, firings[1], redisBehind);
  }

  private static long counted(String profileJson) {
    if (profileJson == null) {
      return 0;
    }
    try {
      return JSON.readTree(profileJson).path("countsByType").path(ProbeTraffic.EVENT).asLong();
    } catch (IOException e) {
      throw new UncheckedIOException("a profile in Redis is not JSON: " + profileJson, e);
    }
  }
}
