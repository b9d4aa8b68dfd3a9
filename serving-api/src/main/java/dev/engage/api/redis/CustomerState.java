package dev.engage.api.redis;

import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What Redis holds about a customer, read in one round trip per request (one command or one
 * pipeline on the customer's slot). Only erasure writes here: everything else in these keys is
 * owned by the Flink job.
 */
public final class CustomerState {
  private final UnifiedJedis redis;

  public CustomerState(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** The customer an identifier key ({@link RedisKeys#identity}) points to. */
  public Optional<String> customerOf(String identityKey) {
    return Optional.ofNullable(redis.get(identityKey));
  }

  /** The profile JSON (without its timeline), or empty for an unknown customer. */
  public Optional<String> profile(String customerId) {
    return Optional.ofNullable(redis.hget(RedisKeys.profile(customerId), "json"));
  }

  /** Whether the customer has a profile, and the timeline JSON if there is one. */
  public record Timeline(boolean known, String json) {}

  public Timeline timeline(String customerId) {
    Response<Boolean> known;
    Response<String> timeline;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      known = pipeline.exists(RedisKeys.profile(customerId));
      timeline = pipeline.get(RedisKeys.timeline(customerId));
      pipeline.sync();
    }
    return new Timeline(known.get(), timeline.get());
  }

  /**
   * The next-best-actions as stored ({@link StoredActions}): the answer, the answer for agents when
   * it differs, and when the first action expires. Empty when nothing was decided.
   */
  public record Actions(String json, String agentJson, Instant validUntil) {
    /** Whether every action is still open at {@code now}, so the stored JSON can go as it is. */
    public boolean validAt(Instant now) {
      return validUntil == null || !now.isAfter(validUntil);
    }
  }

  public Optional<Actions> nextBestActions(String customerId) {
    String key = RedisKeys.nextBestActions(customerId);
    List<String> stored;
    try {
      stored =
          redis.hmget(key, StoredActions.JSON, StoredActions.AGENT_JSON, StoredActions.VALID_UNTIL);
    } catch (JedisDataException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("WRONGTYPE")) {
        throw e;
      }
      // an older Engage's single JSON string says nothing of expiry or agents: always filtered
      return Optional.ofNullable(redis.get(key)).map(json -> new Actions(json, null, Instant.MIN));
    }
    if (stored.get(0) == null) {
      return Optional.empty();
    }
    Instant validUntil =
        stored.get(2) == null ? null : Instant.ofEpochMilli(Long.parseLong(stored.get(2)));
    return Optional.of(new Actions(stored.get(0), stored.get(1), validUntil));
  }

  /** The customer's last decisions as JSON objects, newest first; empty when none were made. */
  public List<String> decisions(String customerId) {
    return redis.lrange(RedisKeys.decisions(customerId), 0, -1);
  }

  /** The in-app inbox as a JSON array, newest first; empty when nothing was delivered. */
  public Optional<String> inbox(String customerId) {
    List<String> items = redis.lrange(RedisKeys.inbox(customerId), 0, -1);
    return items.isEmpty() ? Optional.empty() : Optional.of("[" + String.join(",", items) + "]");
  }

  /** Deletes every key of the customer (one DEL: they share a slot); how many existed. */
  public long erase(String customerId) {
    List<String> keys = RedisKeys.all(customerId);
    return redis.del(keys.toArray(String[]::new));
  }

  /** Round trip to Redis, for /health. */
  public void ping() {
    redis.ping();
  }
}
