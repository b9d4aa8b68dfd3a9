package dev.engage.launcher.chaos;

import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The committed records of a topic written since a moment: its end offsets are taken when the tail
 * is made, and each {@link #read} hands every committed record from there to the end offsets of
 * that moment ({@code read_committed}: what an aborted transaction wrote is never seen).
 */
final class CommittedTail<V> {
  private final String bootstrapServers;
  private final Topic<String, V> topic;
  private final Map<TopicPartition, Long> from;

  CommittedTail(String bootstrapServers, Topic<String, V> topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      this.from = consumer.endOffsets(partitions(consumer));
    }
  }

  void read(BiConsumer<String, V> each) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && r.value() != null) {
            each.accept(
                r.key(), topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
          }
        }
      }
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
    return consumer.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
