package dev.engage.jobs.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.CustomerProfile;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.json.JsonToAvro;
import dev.engage.schemas.redis.RedisKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Profiles in Redis: {@code cust:{id}:profile} (a hash of {@code version}, the profile as {@code
 * json} and the identifier index keys that point at the customer as {@code idents}) and {@code
 * cust:{id}:timeline} (a JSON array), written together by one Lua script that refuses a version not
 * newer than the stored one. So writes are idempotent and may be replayed or arrive twice
 * (at-least-once sink, {@code engage rebuild-redis} beside a running job) without ever moving a
 * profile backwards. Each accepted write is announced on the customer's {@code nba:{id}} channel.
 * The last version of an erased customer ({@code erasedAt}) deletes every key of the customer
 * instead, and is announced as {@code {"type":"erased"}}.
 *
 * <p>The identifier index ({@code ident:{namespace:value}}, see {@link RedisKeys#identity}) follows
 * the accepted versions: an identifier the customer gained points at them, one they lost (a changed
 * email) or that went with their erasure no longer does. Index keys live in slots of their own in a
 * Redis Cluster, so they are written in a second round trip once the scripts have said which
 * versions were accepted and which identifiers were indexed before; an entry is only removed while
 * it still points at this customer.
 *
 * <p>The scripts go by EVAL, not EVALSHA: Redis caches them all the same, and a Redis that
 * restarted and forgot its scripts needs no reload (in a pipeline, a NOSCRIPT error would only
 * surface when the answers are read).
 */
public final class RedisProfiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Returns the previous {@code idents} when the version is newer and written, else nil. */
  private static final String WRITE_IF_NEWER =
      """
      local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
      if stored >= tonumber(ARGV[1]) then return false end
      local previous = redis.call('HGET', KEYS[1], 'idents') or '[]'
      redis.call('HSET', KEYS[1], 'version', ARGV[1], 'json', ARGV[2], 'idents', ARGV[6])
      if ARGV[3] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[3]) end
      redis.call('PUBLISH', ARGV[4], ARGV[5])
      return previous
      """;

  /** Deletes every key of the customer (KEYS[1] is the profile); returns the {@code idents}. */
  private static final String ERASE =
      """
      local previous = redis.call('HGET', KEYS[1], 'idents') or '[]'
      redis.call('DEL', unpack(KEYS))
      redis.call('PUBLISH', ARGV[1], ARGV[2])
      return previous
      """;

  /** Deletes an index entry only while it points at the customer in ARGV[1]. */
  private static final String UNINDEX =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  /** Every namespace but the id itself and the anonymous ids of browsers and apps. */
  private static final Predicate<String> LOOKED_UP_BY =
      namespace -> !namespace.equals("customer_id") && !namespace.equals("anonymous_id");

  private final UnifiedJedis redis;

  public RedisProfiles(UnifiedJedis redis) {
    this.redis = redis;
  }

  /**
   * Writes the profiles in one pipeline, then their index entries in another; returns how many were
   * newer than what Redis held. A profile merged into another keeps only its forwarding profile
   * ({@code mergedInto}), no timeline and no index entries.
   */
  public int write(Collection<CustomerProfile> profiles) {
    List<Written> written = writeProfiles(profiles);
    int accepted = 0;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Written write : written) {
        if (write.previousIdents().get() != null) {
          accepted++;
          reindex(pipeline, write, parseIdents(write.previousIdents().get()));
        }
      }
      pipeline.sync();
    }
    return accepted;
  }

  /** A profile sent to Redis, and what its script answered: the index keys it had, if accepted. */
  private record Written(
      CustomerProfile profile, Set<String> idents, Response<Object> previousIdents) {}

  private List<Written> writeProfiles(Collection<CustomerProfile> profiles) {
    List<Written> written = new ArrayList<>(profiles.size());
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (CustomerProfile profile : profiles) {
        String id = profile.getCustomerId();
        Set<String> idents =
            profile.getMergedInto() == null ? indexKeys(profile.getIdentities()) : Set.of();
        if (profile.getErasedAt() != null) {
          written.add(new Written(profile, idents, erase(pipeline, id)));
          continue;
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
        Response<Object> previous =
            pipeline.eval(
                WRITE_IF_NEWER,
                List.of(RedisKeys.profile(id), RedisKeys.timeline(id)),
                List.of(
                    Long.toString(profile.getVersion()),
                    json.toString(),
                    timelineJson,
                    RedisKeys.updates(id),
                    announcement,
                    toJson(idents)));
        written.add(new Written(profile, idents, previous));
      }
      pipeline.sync();
    }
    return written;
  }

  /**
   * Deletes every key of an erased customer (one slot, so one script) and says so on its channel.
   * Unconditional: an erasure is newer than anything the customer had.
   */
  private Response<Object> erase(AbstractPipeline pipeline, String customerId) {
    String announcement =
        JSON.createObjectNode().put("type", "erased").put("customerId", customerId).toString();
    return pipeline.eval(
        ERASE, RedisKeys.all(customerId), List.of(RedisKeys.updates(customerId), announcement));
  }

  /**
   * Points the identifiers the customer gained at them and removes those they lost; an erased
   * customer loses all of them, those of its last version and those indexed before.
   */
  private static void reindex(AbstractPipeline pipeline, Written write, Set<String> previous) {
    String id = write.profile().getCustomerId();
    boolean erased = write.profile().getErasedAt() != null;
    for (String key : previous) {
      if (erased || !write.idents().contains(key)) {
        pipeline.eval(UNINDEX, List.of(key), List.of(id));
      }
    }
    for (String key : write.idents()) {
      if (erased) {
        pipeline.eval(UNINDEX, List.of(key), List.of(id));
      } else if (!previous.contains(key)) {
        pipeline.set(key, id);
      }
    }
  }

  /** The index keys of the identifiers agents look customers up by (email, phone, card...). */
  private static Set<String> indexKeys(Map<String, String> identities) {
    Set<String> keys = new TreeSet<>();
    identities.forEach(
        (namespace, value) -> {
          if (LOOKED_UP_BY.test(namespace)) {
            keys.add(RedisKeys.identity(namespace, value));
          }
        });
    return keys;
  }

  private static String toJson(Set<String> idents) {
    ArrayNode array = JSON.createArrayNode();
    idents.forEach(array::add);
    return array.toString();
  }

  private static Set<String> parseIdents(Object stored) {
    String json =
        stored instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : stored.toString();
    Set<String> keys = new HashSet<>();
    try {
      JSON.readTree(json).forEach(key -> keys.add(key.asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("idents in a Redis profile hash are not JSON: " + json, e);
    }
    return keys;
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
