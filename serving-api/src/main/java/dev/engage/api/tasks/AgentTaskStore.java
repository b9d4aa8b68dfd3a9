package dev.engage.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.http.Json;
import dev.engage.schemas.redis.RedisKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The agents' queue in Redis: the stream jobs add the tasks ({@link RedisKeys#tasks}, {@link
 * RedisKeys#openTasks}); agents claim and close them here. A claim or a close is one script on the
 * customer's hash, so two agents claiming at once get one task between them.
 */
public final class AgentTaskStore {
  /** KEYS[1] the customer's tasks; ARGV task id, agent, now; answers {outcome, task json}. */
  private static final String CLAIM =
      """
      local json = redis.call('HGET', KEYS[1], ARGV[1])
      if not json then return {'missing', ''} end
      local task = cjson.decode(json)
      if task['status'] == 'closed' then return {'closed', json} end
      if task['status'] == 'claimed' then
        if task['claimedBy'] == ARGV[2] then return {'done', json} end
        return {'taken', json}
      end
      task['status'] = 'claimed'
      task['claimedBy'] = ARGV[2]
      task['claimedAt'] = ARGV[3]
      json = cjson.encode(task)
      redis.call('HSET', KEYS[1], ARGV[1], json)
      return {'done', json}
      """;

  /**
   * KEYS[1] the customer's tasks; ARGV task id, agent, now, outcome. An open task is claimed and
   * closed at once; a task another agent claimed is theirs to close.
   */
  private static final String CLOSE =
      """
      local json = redis.call('HGET', KEYS[1], ARGV[1])
      if not json then return {'missing', ''} end
      local task = cjson.decode(json)
      if task['status'] == 'closed' then return {'closed', json} end
      if task['status'] == 'claimed' and task['claimedBy'] ~= ARGV[2] then
        return {'taken', json}
      end
      if task['status'] == 'open' then
        task['claimedBy'] = ARGV[2]
        task['claimedAt'] = ARGV[3]
      end
      task['status'] = 'closed'
      task['closedAt'] = ARGV[3]
      task['outcome'] = ARGV[4]
      json = cjson.encode(task)
      redis.call('HSET', KEYS[1], ARGV[1], json)
      return {'done', json}
      """;

  /** What a claim or close found: done, or why not, with the task as it now is. */
  public enum Outcome {
    DONE,
    MISSING,
    TAKEN,
    CLOSED
  }

  /** A claim's or close's outcome and the task (null when missing). */
  public record Change(Outcome outcome, ObjectNode task) {}

  private final UnifiedJedis redis;

  public AgentTaskStore(UnifiedJedis redis) {
    this.redis = redis;
  }

  /**
   * The open and claimed tasks, oldest first, at most {@code limit}; members of tasks closed or
   * erased since are dropped from the queue on the way.
   */
  public List<ObjectNode> queue(int limit) {
    List<String> members = redis.zrange(RedisKeys.openTasks(), 0, limit - 1);
    List<Response<String>> found = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (String member : members) {
        int slash = member.lastIndexOf('/');
        found.add(
            pipeline.hget(
                RedisKeys.tasks(member.substring(0, slash)), member.substring(slash + 1)));
      }
      pipeline.sync();
    }
    List<ObjectNode> tasks = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      ObjectNode task = found.get(i).get() == null ? null : parse(found.get(i).get());
      if (task == null || task.path("status").asText().equals("closed")) {
        redis.zrem(RedisKeys.openTasks(), members.get(i));
      } else {
        tasks.add(task);
      }
    }
    return tasks;
  }

  /** Every task of the customer, closed ones too, oldest first. */
  public List<ObjectNode> ofCustomer(String customerId) {
    List<ObjectNode> tasks = new ArrayList<>();
    redis.hvals(RedisKeys.tasks(customerId)).forEach(json -> tasks.add(parse(json)));
    tasks.sort(Comparator.comparing(t -> t.path("createdAt").asText()));
    return tasks;
  }

  public Change claim(String customerId, String taskId, String agent, Instant now) {
    return change(CLAIM, customerId, taskId, agent, now.toString());
  }

  /** Closes the task with what came of it, and takes it off the queue. */
  public Change close(String customerId, String taskId, String agent, Instant now, String outcome) {
    Change change = change(CLOSE, customerId, taskId, agent, now.toString(), outcome);
    if (change.outcome() == Outcome.DONE) {
      redis.zrem(RedisKeys.openTasks(), RedisKeys.openTask(customerId, taskId));
    }
    return change;
  }

  private Change change(String script, String customerId, String taskId, String... args) {
    List<String> argv = new ArrayList<>(List.of(taskId));
    argv.addAll(List.of(args));
    List<?> answer = (List<?>) redis.eval(script, List.of(RedisKeys.tasks(customerId)), argv);
    String json = (String) answer.get(1);
    return new Change(
        Outcome.valueOf(((String) answer.get(0)).toUpperCase(java.util.Locale.ROOT)),
        json.isEmpty() ? null : parse(json));
  }

  private static ObjectNode parse(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new UncheckedIOException("a task in Redis is not JSON: " + json, e);
    }
  }
}
