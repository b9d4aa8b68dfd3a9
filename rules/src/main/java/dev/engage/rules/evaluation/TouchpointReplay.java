package dev.engage.rules.evaluation;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Backtests a trigger rule on the touchpoints topic: reads every partition from the first record at
 * or after a point in time up to the end offsets seen when it started, through a {@link Backtest}.
 * Shared by {@code engage rules backtest} and {@code POST /v1/rules/{id}/backtest}.
 */
public final class TouchpointReplay {
  private TouchpointReplay() {}

  /** Replays the touchpoints since {@code from} through the rule and reports. */
  public static Backtest.Report run(
      String bootstrapServers, Topic<String, Touchpoint> topic, Instant from, Rule rule) {
    Backtest backtest = new Backtest(rule);
    replay(bootstrapServers, topic, from, backtest);
    return backtest.finish();
  }

  /** Feeds the touchpoints since {@code from} to the backtest, partition by partition. */
  public static void replay(
      String bootstrapServers, Topic<String, Touchpoint> topic, Instant from, Backtest backtest) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    try (KafkaConsumer<String, Touchpoint> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, from.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        OffsetAndTimestamp start = starts.get(partition);
        consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
      }
      List<TopicPartition> reading = new ArrayList<>(partitions);
      while (!reading.isEmpty()) {
        for (ConsumerRecord<String, Touchpoint> record : consumer.poll(Duration.ofMillis(200))) {
          backtest.accept(Integer.toString(record.partition()), record.value());
        }
        for (TopicPartition partition : List.copyOf(reading)) {
          if (consumer.position(partition) >= ends.get(partition)) {
            backtest.sourceDone(Integer.toString(partition.partition()));
            reading.remove(partition);
          }
        }
      }
    }
  }
}
