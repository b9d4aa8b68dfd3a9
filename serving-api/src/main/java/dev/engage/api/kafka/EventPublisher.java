package dev.engage.api.kafka;

import dev.engage.schemas.registry.SchemaRegistryException;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the API's events (responses, preference changes, erasure requests and the tombstones they
 * bring) to their topics with one idempotent producer, and waits for the broker's acknowledgement
 * (acks=all), so an answer of 202 means Kafka has the record. Bounded waits: when Kafka is away the
 * request fails with {@link PublishException} (503) within a few seconds instead of hanging.
 */
public final class EventPublisher implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KafkaProducer<String, byte[]> producer;

  public EventPublisher(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() - 1000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "engage-api");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends the record keyed by {@code key} and waits until the broker has it. */
  public <V> void publish(Topic<String, V> topic, String key, V value) {
    byte[] bytes;
    try {
      bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    } catch (SchemaRegistryException e) {
      throw new PublishException("the schema registry did not answer for " + topic.name(), e);
    }
    send(topic, key, bytes);
  }

  /** Sends a tombstone for {@code key} (compaction then drops every record of it). */
  public void tombstone(Topic<String, ?> topic, String key) {
    send(topic, key, null);
  }

  private void send(Topic<String, ?> topic, String key, byte[] bytes) {
    try {
      producer
          .send(new ProducerRecord<>(topic.name(), key, bytes))
          .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new PublishException("Kafka did not take the record for " + topic.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while writing to " + topic.name(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
