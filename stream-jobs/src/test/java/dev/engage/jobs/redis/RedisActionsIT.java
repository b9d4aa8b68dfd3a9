package dev.engage.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Action;
import dev.engage.avro.Cause;
import dev.engage.avro.NextBestActions;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * The next-best-actions hash on a real redis-server: a newer version replaces every field of the
 * older one, a replayed older version changes nothing, and a value an older Engage left as one JSON
 * string is replaced by the hash.
 */
@ExtendWith(SharedStack.class)
class RedisActionsIT {
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final String KEY = RedisKeys.nextBestActions("ann");

  private static JedisPooled redis;

  @BeforeAll
  static void connect(StackConfig stack) {
    redis = new JedisPooled(URI.create("redis://localhost:" + stack.redisPort() + "/8"));
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
  void aNewerVersionReplacesEveryFieldAndAReplayedOlderOneNothing() {
    NextBestActions first = actions(1, action("a1", false, T0.plusSeconds(60)));
    NextBestActions second = actions(2, action("a2", true, T0.plusSeconds(120)));

    assertThat(RedisActions.writeActions(redis, List.of(first))).isEqualTo(1);
    assertThat(redis.hget(KEY, StoredActions.AGENT_JSON)).contains("\"actions\":[]");
    assertThat(redis.hget(KEY, StoredActions.VALID_UNTIL))
        .isEqualTo(Long.toString(T0.plusSeconds(60).toEpochMilli()));

    assertThat(RedisActions.writeActions(redis, List.of(second))).isEqualTo(1);
    assertThat(redis.hgetAll(KEY)).isEqualTo(StoredActions.fields(second));
    assertThat(redis.hexists(KEY, StoredActions.AGENT_JSON)).isFalse();

    assertThat(RedisActions.writeActions(redis, List.of(first))).isZero();
    assertThat(redis.hget(KEY, StoredActions.VERSION)).isEqualTo("2");
  }

  @Test
  void aSingleJsonStringOfAnOlderEngageIsReplacedByANewerVersionOnly() {
    redis.set(KEY, "{\"customerId\":\"ann\",\"version\":5,\"actions\":[]}");

    assertThat(RedisActions.writeActions(redis, List.of(actions(4)))).isZero();
    assertThat(redis.type(KEY)).isEqualTo("string");

    assertThat(RedisActions.writeActions(redis, List.of(actions(6)))).isEqualTo(1);
    assertThat(redis.hgetAll(KEY)).isEqualTo(StoredActions.fields(actions(6)));
  }

  private static NextBestActions actions(long version, Action... actions) {
    return NextBestActions.newBuilder()
        .setCustomerId("ann")
        .setVersion(version)
        .setDecidedAt(T0)
        .setActions(List.of(actions))
        .build();
  }

  private static Action action(String actionId, boolean agentVisible, Instant expiresAt) {
    return Action.newBuilder()
        .setActionId(actionId)
        .setCode("OFFER")
        .setTitle("t")
        .setPriority(50)
        .setScore(0.5)
        .setReason("because")
        .setRuleId("r")
        .setRuleVersion(1)
        .setAgentVisible(agentVisible)
        .setExpiresAt(expiresAt)
        .setCause(new Cause("e-" + actionId, "flight_disruption", T0))
        .build();
  }
}
