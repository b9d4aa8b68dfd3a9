package dev.engage.launcher.chaos;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group's committed offsets on a topic are behind its end. */
final class ConsumerLag {
  private final String bootstrapServers;

  ConsumerLag(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Records of the topic after the group's committed offsets; -1 when Kafka does not answer. */
  long of(String group, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS)
              .entrySet()
              .stream()
              .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      Map<TopicPartition, OffsetSpec> latest =
          committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
        lag += Math.max(0, end.getValue().offset() - committed.get(end.getKey()).offset());
      }
      return lag;
    } catch (Exception e) {
      return -1;
    }
  }
}
