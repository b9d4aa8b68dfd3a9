package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/** Small helpers over the real Kafka clients for tests against the local stack. */
final class KafkaClients {
  private KafkaClients() {}

  static Admin admin(StackConfig config) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return Admin.create(props);
  }

  /** Creates a new single-partition topic (auto-creation is off on our broker). */
  static String newTopic(StackConfig config, String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = admin(config)) {
      admin.createTopics(Set.of(new NewTopic(name, 1, (short) 1))).all().get();
    }
    return name;
  }

  /**
   * Reads the topic from the beginning, at the given isolation level, until {@code expected}
   * records passing the filter were seen or the time is up, and returns those records.
   */
  static <K, V> List<ConsumerRecord<K, V>> readFromStart(
      StackConfig config,
      String topic,
      String isolationLevel,
      Deserializer<K> keys,
      Deserializer<V> values,
      Predicate<ConsumerRecord<K, V>> filter,
      int expected,
      Duration timeout) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolationLevel));
    List<ConsumerRecord<K, V>> found = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(record)) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }
}
