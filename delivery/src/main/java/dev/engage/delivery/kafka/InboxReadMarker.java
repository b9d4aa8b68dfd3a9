package dev.engage.delivery.kafka;

import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.schemas.kafka.StaticMembership;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Marks inbox items read when an {@code opened} response names them (the app reports it through the
 * API's responses route). Marking is idempotent, so a replayed response changes nothing.
 */
public final class InboxReadMarker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboxReadMarker.class);
  private static final String MARK =
      """
      local needle = '"notificationId":"' .. ARGV[1] .. '"'
      local items = redis.call('LRANGE', KEYS[1], 0, -1)
      for i, item in ipairs(items) do
        if string.find(item, needle, 1, true) then
          local read = string.gsub(item, '"read":false', '"read":true', 1)
          if read ~= item then redis.call('LSET', KEYS[1], i - 1, read) end
          return 1
        end
      end
      return 0
      """;

  private final Topic<String, Response> topic;
  private final UnifiedJedis redis;
  private final KafkaConsumer<String, byte[]> consumer;

  /**
   * @param instanceId this instance's static group membership ({@link StaticMembership})
   */
  public InboxReadMarker(
      String bootstrapServers,
      Topic<String, Response> topic,
      UnifiedJedis redis,
      String instanceId) {
    this.topic = topic;
    this.redis = redis;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "engage-delivery-inbox");
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // a restart takes its partitions back at once (static membership); an instance that does not
    // come back holds them until its session ends: after 10 s instead of the default 45 s
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-delivery-inbox");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic.name()));
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          mark(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(StaticMembership.closeAndLeave(Duration.ofSeconds(5)));
    }
  }

  private void mark(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      Response response =
          topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
      if (response.getType() == ResponseType.OPENED && response.getNotificationId() != null) {
        redis.eval(
            MARK,
            List.of(RedisKeys.inbox(response.getCustomerId())),
            List.of(response.getNotificationId()));
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "responses: cannot mark {}@{} read: {}",
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
  }
}
