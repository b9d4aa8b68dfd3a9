package dev.engage.jobs.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.CustomerProfile;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.json.JsonToAvro;
import dev.engage.schemas.redis.RedisKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Profiles in Redis: {@code cust:{id}:profile} (a hash of {@code version} and the profile as {@code
 * json}) and {@code cust:{id}:timeline} (a JSON array), written together by one Lua script that
 * refuses a version not newer than the stored one. So writes are idempotent and may be replayed or
 * arrive twice (at-least-once sink, {@code engage rebuild-redis} beside a running job) without ever
 * moving a profile backwards. Each accepted write is announced on the customer's {@code nba:{id}}
 * channel. The last version of an erased customer ({@code erasedAt}) deletes every key of the
 * customer instead, and is announced as {@code {"type":"erased"}}.
 */
public final class RedisProfiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITE_IF_NEWER =
      """
      local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
      if stored >= tonumber(ARGV[1]) then return 0 end
      redis.call('HSET', KEYS[1], 'version', ARGV[1], 'json', ARGV[2])
      if ARGV[3] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[3]) end
      redis.call('PUBLISH', ARGV[4], ARGV[5])
      return 1
      """;

  /** Every namespace but the id itself and the anonymous ids of browsers and apps. */
  private static final Predicate<String> LOOKED_UP_BY =
      namespace -> !namespace.equals("customer_id") && !namespace.equals("anonymous_id");

  private final UnifiedJedis redis;
  private String script;

  public RedisProfiles(UnifiedJedis redis) {
    this.redis = redis;
  }

  /**
   * Writes the profiles in one pipeline; returns how many were newer than what Redis held. A
   * profile merged into another keeps only its forwarding profile ({@code mergedInto}), no
   * timeline.
   */
  public int write(Collection<CustomerProfile> profiles) {
    try {
      return writeOnce(profiles);
    } catch (JedisDataException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        throw e;
      }
      script = null; // Redis restarted and forgot the script: load it again, once
      return writeOnce(profiles);
    }
  }

  private int writeOnce(Collection<CustomerProfile> profiles) {
    if (script == null) {
      script = redis.scriptLoad(WRITE_IF_NEWER);
    }
    List<Response<Object>> results = new ArrayList<>(profiles.size());
    int erased = 0;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (CustomerProfile profile : profiles) {
        String id = profile.getCustomerId();
        if (profile.getErasedAt() != null) {
          erase(pipeline, id, profile.getIdentities());
          erased++;
          continue;
        }
        if (profile.getMergedInto() == null) {
          index(pipeline, id, profile.getIdentities());
        }
        ObjectNode json = AvroToJson.write(profile);
        JsonNode timeline = json.remove("timeline");
        String timelineJson = profile.getMergedInto() != null ? "" : timeline.toString();
        String announcement =
            JSON.createObjectNode()
                .put("type", "profile")
                .put("customerId", id)
                .put("version", profile.getVersion())
                .toString();
        results.add(
            pipeline.evalsha(
                script,
                List.of(RedisKeys.profile(id), RedisKeys.timeline(id)),
                List.of(
                    Long.toString(profile.getVersion()),
                    json.toString(),
                    timelineJson,
                    RedisKeys.updates(id),
                    announcement)));
      }
      pipeline.sync();
    }
    int written = erased;
    for (Response<Object> result : results) {
      written += ((Long) result.get()).intValue();
    }
    return written;
  }

  /**
   * Deletes every key of an erased customer (one slot, so one command) and says so on its channel.
   * Unconditional: an erasure is newer than anything the customer had.
   */
  public static void erase(
      AbstractPipeline pipeline, String customerId, Map<String, String> identities) {
    pipeline.del(RedisKeys.all(customerId).toArray(String[]::new));
    identities.forEach(
        (namespace, value) -> {
          if (LOOKED_UP_BY.test(namespace)) {
            pipeline.del(RedisKeys.identity(namespace, value));
          }
        });
    pipeline.publish(
        RedisKeys.updates(customerId),
        JSON.createObjectNode().put("type", "erased").put("customerId", customerId).toString());
  }

  /**
   * Points the customer's identifiers at them, so agents find them by email, phone or card. Not
   * inside the script: each identifier has a slot of its own in a Redis Cluster.
   */
  private static void index(
      AbstractPipeline pipeline, String customerId, Map<String, String> identities) {
    identities.forEach(
        (namespace, value) -> {
          if (LOOKED_UP_BY.test(namespace)) {
            pipeline.set(RedisKeys.identity(namespace, value), customerId);
          }
        });
  }

  /** The customer's profile with its timeline, as last written; empty when Redis has none. */
  public Optional<CustomerProfile> read(String customerId) {
    Response<String> profile;
    Response<String> timeline;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      profile = pipeline.hget(RedisKeys.profile(customerId), "json");
      timeline = pipeline.get(RedisKeys.timeline(customerId));
      pipeline.sync();
    }
    if (profile.get() == null) {
      return Optional.empty();
    }
    try {
      ObjectNode json = (ObjectNode) JSON.readTree(profile.get());
      json.set("timeline", JSON.readTree(timeline.get() == null ? "[]" : timeline.get()));
      return Optional.of(JsonToAvro.read(json, CustomerProfile.class));
    } catch (IOException e) {
      throw new UncheckedIOException("the profile of " + customerId + " in Redis is not JSON", e);
    }
  }
}
