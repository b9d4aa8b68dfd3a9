package dev.engage.jobs.triggers;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the rules topic ended when the job was built: per partition, the offset of its last rule
 * record. The trigger operator holds customers' inputs until it has read that far, so a backlog of
 * touchpoints older than the rules is evaluated against them instead of against no rules.
 *
 * <p>The last rule record, not the end offset: the rules are written in transactions, and the
 * commit marker that ends a partition is never handed to the job, so the end offset would never be
 * reached.
 */
public final class RulesAtStart implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int LOOK_BACK = 100;

  private final HashMap<Integer, Long> lastRecords;

  private RulesAtStart(Map<Integer, Long> lastRecords) {
    this.lastRecords = new HashMap<>(lastRecords);
  }

  /** Nothing to wait for (tests and benchmarks that hand the rules in first). */
  public static RulesAtStart none() {
    return new RulesAtStart(Map.of());
  }

  /** The given last offsets by partition. */
  public static RulesAtStart of(Map<Integer, Long> lastRecords) {
    return new RulesAtStart(lastRecords);
  }

  /** Reads the committed end of {@code topic}, going back from its end to its last rule record. */
  public static RulesAtStart read(String bootstrapServers, String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<Integer, Long> last = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          Optional.ofNullable(consumer.partitionsFor(topic)).orElse(List.of()).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        lastRule(consumer, partition, begin.get(partition), end.get(partition))
            .ifPresent(offset -> last.put(partition.partition(), offset));
      }
    }
    return new RulesAtStart(last);
  }

  /** Looks back from the end in steps until a rule record turns up. */
  private static Optional<Long> lastRule(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin, long end) {
    for (long to = end; to > begin; to -= LOOK_BACK) {
      Optional<Long> last = lastKeyed(consumer, partition, Math.max(begin, to - LOOK_BACK), to);
      if (last.isPresent()) {
        return last;
      }
    }
    return Optional.empty();
  }

  /** The offset of the last keyed record in [from, to): the job skips keyless ones. */
  private static Optional<Long> lastKeyed(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long from, long to) {
    consumer.seek(partition, from);
    Long last = null;
    while (consumer.position(partition) < to) {
      for (ConsumerRecord<byte[], byte[]> record :
          consumer.poll(Duration.ofMillis(200)).records(partition)) {
        if (record.offset() < to && record.key() != null) {
          last = record.offset();
        }
      }
    }
    return Optional.ofNullable(last);
  }

  /** Whether the offsets read so far (by partition) have reached every last rule record. */
  boolean reachedBy(Map<Integer, Long> read) {
    for (Map.Entry<Integer, Long> last : lastRecords.entrySet()) {
      Long offset = read.get(last.getKey());
      if (offset == null || offset < last.getValue()) {
        return false;
      }
    }
    return true;
  }
}
