package dev.engage.api.kafka;

import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one topic from its beginning on one background thread and hands every committed record to a
 * handler, for the in-memory views the API serves (fire counts, rule history). Started and stopped
 * with the server.
 *
 * <p>No consumer group: every API instance needs every record, and nothing is committed, so a
 * restart reads the topic again from the start. Partitions are looked up once; partitions added to
 * the topic later are not followed until a restart.
 */
public final class TopicFollower<V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  private static final Duration RETRY = Duration.ofSeconds(2);
  // an undecodable record is retried (the schema registry may be down for a moment), then skipped
  private static final int DECODE_ATTEMPTS = 5;

  private final Topic<String, V> topic;
  private final Consumer<ConsumerRecord<String, V>> handler;
  private final KafkaConsumer<String, V> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Map<TopicPartition, Long> positions = Map.of();
  private int decodeFailures;

  private TopicFollower(
      String bootstrapServers,
      Topic<String, V> topic,
      Consumer<ConsumerRecord<String, V>> handler) {
    this.topic = topic;
    this.handler = handler;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-api-follow-" + topic.name());
    consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer());
    thread = new Thread(this::run, "engage-api-follow-" + topic.name());
    thread.setDaemon(true);
  }

  /** Starts following the topic from its beginning. */
  public static <V> TopicFollower<V> start(
      String bootstrapServers,
      Topic<String, V> topic,
      Consumer<ConsumerRecord<String, V>> handler) {
    TopicFollower<V> follower = new TopicFollower<>(bootstrapServers, topic, handler);
    follower.thread.start();
    return follower;
  }

  private void run() {
    try {
      if (assignFromBeginning()) {
        while (running) {
          pollOnce();
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // close() stops us
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Waits for the topic's partitions (Kafka may be starting, or the topic not yet created). */
  private boolean assignFromBeginning() throws InterruptedException {
    while (running) {
      try {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), RETRY);
        if (infos != null && !infos.isEmpty()) {
          List<TopicPartition> partitions =
              infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          return true;
        }
        LOG.warn("topic {} does not exist yet; retrying", topic.name());
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn("cannot look up topic {}: {}; retrying", topic.name(), e.toString());
      }
      Thread.sleep(RETRY.toMillis());
    }
    return false;
  }

  private void pollOnce() throws InterruptedException {
    try {
      for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofSeconds(1))) {
        handler.accept(record);
      }
      decodeFailures = 0;
      Map<TopicPartition, Long> read = new HashMap<>();
      consumer.assignment().forEach(p -> read.put(p, consumer.position(p)));
      positions = Map.copyOf(read);
    } catch (RecordDeserializationException e) {
      if (++decodeFailures < DECODE_ATTEMPTS) {
        LOG.warn(
            "cannot decode {} at {}: {}; retrying", e.topicPartition(), e.offset(), e.toString());
        consumer.seek(e.topicPartition(), e.offset());
      } else {
        LOG.error(
            "skipping undecodable record {} at {}: {}",
            e.topicPartition(),
            e.offset(),
            e.toString());
        consumer.seek(e.topicPartition(), e.offset() + 1);
        decodeFailures = 0;
      }
      Thread.sleep(RETRY.toMillis());
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // the client reconnects on its own; keep following, but say so
      LOG.warn("reading {} failed: {}; retrying", topic.name(), e.toString());
      Thread.sleep(RETRY.toMillis());
    }
  }

  /**
   * How far the handler has been given the topic: per partition, the offset of the next record to
   * read (past transaction markers too, so it reaches the committed end). Empty until the
   * partitions are known.
   */
  public Map<TopicPartition, Long> positions() {
    return positions;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
