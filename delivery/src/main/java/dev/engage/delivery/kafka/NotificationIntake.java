package dev.engage.delivery.kafka;

import dev.engage.avro.Notification;
import dev.engage.avro.ResponseType;
import dev.engage.delivery.dispatch.Responses;
import dev.engage.delivery.store.DeliveryStore;
import dev.engage.schemas.kafka.StaticMembership;
import dev.engage.schemas.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed notifications from Kafka into the providers' queues in Redis, then commits the
 * offsets. Queuing is idempotent by notificationId (the ledger), so the records a crash makes Kafka
 * hand out again change nothing; a notification is held in its queue until {@code notBefore}, and
 * one whose channel has no provider is recorded as failed with the reason.
 */
public final class NotificationIntake implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);
  private static final String GROUP = "engage-delivery";

  private final Topic<String, Notification> topic;
  private final DeliveryStore store;
  private final Map<String, String> providerByChannel;
  private final Responses responses;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AtomicBoolean assigned = new AtomicBoolean();

  /**
   * @param providerByChannel the provider that first takes each channel's notifications
   * @param instanceId this instance's static group membership ({@link StaticMembership})
   */
  public NotificationIntake(
      String bootstrapServers,
      Topic<String, Notification> topic,
      DeliveryStore store,
      Map<String, String> providerByChannel,
      Responses responses,
      Clock clock,
      String instanceId) {
    this.topic = topic;
    this.store = store;
    this.providerByChannel = Map.copyOf(providerByChannel);
    this.responses = responses;
    this.clock = clock;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // a restart takes its partitions back at once (static membership); an instance that does not
    // come back holds them until its session ends: after 10 s instead of the default 45 s
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-delivery-intake");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Whether the consumer has joined its group and holds partitions. */
  public boolean isAssigned() {
    return assigned.get();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic.name()));
      while (true) {
        var records = consumer.poll(Duration.ofMillis(200));
        assigned.set(!consumer.assignment().isEmpty());
        for (ConsumerRecord<String, byte[]> record : records) {
          take(record);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(StaticMembership.closeAndLeave(Duration.ofSeconds(5)));
    }
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    Notification n;
    try {
      n = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
    } catch (RuntimeException e) {
      LOG.error(
          "notifications: skipping an unreadable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    String provider = providerByChannel.get(n.getChannel());
    if (provider == null) {
      String reason = "no provider is configured for channel '" + n.getChannel() + "'";
      store.refuse(
          n.getNotificationId(),
          reason,
          List.of(responses.response(n, ResponseType.FAILED, null, null, reason, clock.instant())));
      return;
    }
    long due = n.getNotBefore() == null ? 0 : n.getNotBefore().toEpochMilli();
    store.enqueue(n.getChannel(), provider, n.getNotificationId(), record.value(), due);
  }

  @Override
  public void close() {
    consumer.wakeup();
  }
}
