package dev.engage.api;

import dev.engage.avro.AgentTask;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.redis.RedisKeys;
import java.time.Instant;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ZAddParams;

/** Agent tasks in Redis as the stream jobs write them (stream-jobs' RedisTasks). */
final class TestTasks {
  private TestTasks() {}

  /** A delivery by SMS that failed for good. */
  static AgentTask failedSms(String customer, String taskId, Instant at) {
    return new AgentTask(
        taskId,
        customer,
        "delivery_failed",
        "act-1",
        "ntf-1",
        null,
        null,
        "sms",
        "Delivery by sms failed: no phone number",
        at);
  }

  /** The queue's member, then the task if the customer's hash does not hold it yet. */
  static void add(JedisPooled redis, AgentTask task) {
    redis.zadd(
        RedisKeys.openTasks(),
        task.getCreatedAt().toEpochMilli(),
        RedisKeys.openTask(task.getCustomerId(), task.getTaskId()),
        ZAddParams.zAddParams().nx());
    redis.hsetnx(
        RedisKeys.tasks(task.getCustomerId()),
        task.getTaskId(),
        AvroToJson.write(task).put("status", "open").toString());
  }
}
