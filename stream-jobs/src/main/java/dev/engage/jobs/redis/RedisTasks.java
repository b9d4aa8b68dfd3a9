package dev.engage.jobs.redis;

import dev.engage.avro.AgentTask;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

/**
 * Agent tasks into Redis ({@link RedisKeys#tasks}, {@link RedisKeys#openTasks}): a task is written
 * only if the customer's hash does not hold it yet, so a replay never reopens a task an agent
 * claimed or closed. The queue's member goes first: should the write stop between the two, the task
 * is never out of the queue; a member whose task is closed or missing is dropped by the API when it
 * reads the queue.
 */
final class RedisTasks {
  private RedisTasks() {}

  /** Writes the tasks; returns how many were new. */
  static int write(UnifiedJedis redis, Collection<AgentTask> tasks) {
    List<Response<Long>> answers = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (AgentTask task : tasks) {
        pipeline.zadd(
            RedisKeys.openTasks(),
            task.getCreatedAt().toEpochMilli(),
            RedisKeys.openTask(task.getCustomerId(), task.getTaskId()),
            ZAddParams.zAddParams().nx());
        answers.add(
            pipeline.hsetnx(
                RedisKeys.tasks(task.getCustomerId()),
                task.getTaskId(),
                AvroToJson.write(task).put("status", "open").toString()));
      }
      pipeline.sync();
    }
    return (int) answers.stream().filter(a -> a.get() == 1).count();
  }
}
