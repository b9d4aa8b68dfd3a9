package dev.engage.jobs;

import dev.engage.avro.CustomerProfile;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the compacted {@code profiles} topic (read_committed) from its beginning to the end it had
 * when the scan started, in batches as polled; a customer's records come in version order on their
 * partition, so the last one seen counts, and a null value is a tombstone (an erased customer).
 * Prints progress every 2 s on long scans.
 *
 * @param bootstrapServers the broker
 * @param registryUrl the schema registry
 * @param topicName the profiles topic's name
 */
public record ProfileTopicScan(String bootstrapServers, String registryUrl, String topicName) {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  /** Hands every batch of records to {@code batches}; returns how many records were read. */
  public long scan(
      Consumer<List<ConsumerRecord<String, CustomerProfile>>> batches, PrintStream out) {
    Topic<String, CustomerProfile> topic =
        new TopicCatalog(
                new TopicSettings(1, (short) 1, Map.of("profiles", topicName), Map.of()),
                new SchemaRegistryClient(registryUrl))
            .profiles();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    long records = 0;
    try (KafkaConsumer<String, CustomerProfile> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        List<ConsumerRecord<String, CustomerProfile>> batch = new ArrayList<>();
        for (ConsumerRecord<String, CustomerProfile> record :
            consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            batch.add(record);
          }
        }
        records += batch.size();
        if (!batch.isEmpty()) {
          batches.accept(batch);
        }
        if (System.nanoTime() > nextProgress) {
          out.printf("  %,d of about %,d records read%n", records, total);
          nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        }
      }
    }
    return records;
  }
}
