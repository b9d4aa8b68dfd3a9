package dev.engage.ingestion.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events the collector accepted to Kafka and returns only once the broker has every one
 * (acks=all, idempotent producer), so the collector never acknowledges an event it could lose.
 */
public final class EventWriter implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;

  public EventWriter(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis() - 5_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** One event to write: its key and its value, already serialized. */
  public record Event(String key, byte[] value) {}

  /** Writes all events; throws {@link StoreException} if Kafka did not take every one. */
  public void writeAll(String topic, List<Event> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    try {
      for (Event event : events) {
        sent.add(producer.send(new ProducerRecord<>(topic, event.key(), event.value())));
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      for (Future<RecordMetadata> future : sent) {
        future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new StoreException("Kafka refused the events: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new StoreException(
          "Kafka did not confirm the events within " + WAIT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while writing events");
    } catch (RuntimeException e) {
      throw new StoreException("events could not be handed to Kafka: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** Events were not (all) stored; the sender should retry (repeats are deduplicated). */
  public static final class StoreException extends RuntimeException {
    StoreException(String message) {
      super(message);
    }
  }
}
