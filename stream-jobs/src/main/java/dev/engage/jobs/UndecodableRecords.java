package dev.engage.jobs;

import dev.engage.avro.DeadLetter;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroWireCodec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where a Kafka source puts a record it cannot read: {@code jobs.dlq}, as a {@link DeadLetter} with
 * the record's bytes, its topic, partition and offset, and the reason. A source has no side output
 * (its deserializer hands records to one collector), so the letter is written here, at once and
 * acknowledged before the source reads on: the offset that a checkpoint then commits is never ahead
 * of a letter that was lost. A replay after a restore may write a letter again (jobs.dlq is at
 * least once).
 *
 * <p>One producer per Kafka cluster and JVM, made on the first such record: undecodable records are
 * rare, and the task manager outlives the job's restarts.
 */
final class UndecodableRecords implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, KafkaProducer<byte[], byte[]>> PRODUCERS =
      new ConcurrentHashMap<>();

  private final String bootstrapServers;
  private final String registryUrl;
  private final String topic;
  private transient AvroWireCodec<DeadLetter> codec;

  UndecodableRecords(String bootstrapServers, String registryUrl, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.topic = topic;
  }

  /** Writes the letter for {@code record} and waits for the broker to take it. */
  void send(ConsumerRecord<byte[], byte[]> record, RuntimeException reason) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
            .setReason("cannot read the record: " + reason.getMessage())
            .setSource(record.topic() + " source")
            .setLocation(record.topic() + "-" + record.partition() + "@" + record.offset())
            .setKey(key)
            .setFailedAt(Instant.now())
            .build();
    try {
      producer()
          .send(
              new ProducerRecord<>(
                  topic,
                  key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                  codec().encode(topic + "-value", letter)))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write a dead letter to " + topic, e.getCause());
    }
  }

  private AvroWireCodec<DeadLetter> codec() {
    if (codec == null) {
      codec = new AvroWireCodec<>(new SchemaRegistryClient(registryUrl), DeadLetter.class);
    }
    return codec;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return PRODUCERS.computeIfAbsent(
        bootstrapServers,
        servers -> {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        });
  }
}
