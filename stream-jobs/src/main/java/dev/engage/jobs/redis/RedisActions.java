package dev.engage.jobs.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Decision;
import dev.engage.avro.NextBestActions;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * What agents read of the decisions in Redis. {@code cust:{id}:nba} holds the latest {@code
 * NextBestActions} as the API answers them ({@link StoredActions}), written by a script that
 * refuses a version not newer than the stored one and announces each accepted list on {@code
 * nba:{id}} as {@code {"type":"actions",...}}. {@code cust:{id}:decisions} holds the customer's
 * last {@value #KEPT} decisions as JSON, newest first, pushed by a script that refuses a decision
 * not newer than the newest kept, so a replay neither repeats nor reorders them. Both keys go with
 * the customer's erasure ({@link RedisKeys#all}).
 */
final class RedisActions {
  /** Decisions kept per customer. */
  static final int KEPT = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * ARGV: the version, the channel, the announcement, then the hash's fields and values. A value
   * left by an older Engage as one JSON string is read for its version and replaced.
   */
  private static final String SET_IF_NEWER =
      """
      local stored
      if redis.call('TYPE', KEYS[1]).ok == 'string' then
        stored = cjson.decode(redis.call('GET', KEYS[1]))['version']
      else
        stored = redis.call('HGET', KEYS[1], 'version')
      end
      if stored and tonumber(stored) >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 4))
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
      """;

  private static final String PUSH_IF_NEWER =
      """
      local newest = redis.call('LINDEX', KEYS[1], 0)
      if newest and tonumber(cjson.decode(newest)['sequence']) >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('LPUSH', KEYS[1], ARGV[2])
      redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
      return 1
      """;

  private RedisActions() {}

  static int writeActions(UnifiedJedis redis, Collection<NextBestActions> lists) {
    List<Response<Object>> answers = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (NextBestActions list : lists) {
        String id = list.getCustomerId();
        String announcement =
            JSON.createObjectNode()
                .put("type", "actions")
                .put("customerId", id)
                .put("version", list.getVersion())
                .toString();
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(list.getVersion()));
        arguments.add(RedisKeys.updates(id));
        arguments.add(announcement);
        StoredActions.fields(list)
            .forEach(
                (field, value) -> {
                  arguments.add(field);
                  arguments.add(value);
                });
        answers.add(pipeline.eval(SET_IF_NEWER, List.of(RedisKeys.nextBestActions(id)), arguments));
      }
      pipeline.sync();
    }
    return accepted(answers);
  }

  static int writeDecisions(UnifiedJedis redis, Collection<Decision> decisions) {
    List<Response<Object>> answers = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Decision decision : decisions) {
        answers.add(
            pipeline.eval(
                PUSH_IF_NEWER,
                List.of(RedisKeys.decisions(decision.getCustomerId())),
                List.of(
                    Long.toString(decision.getSequence()),
                    AvroToJson.write(decision).toString(),
                    Integer.toString(KEPT))));
      }
      pipeline.sync();
    }
    return accepted(answers);
  }

  private static int accepted(List<Response<Object>> answers) {
    return (int) answers.stream().filter(a -> Long.valueOf(1).equals(a.get())).count();
  }
}
