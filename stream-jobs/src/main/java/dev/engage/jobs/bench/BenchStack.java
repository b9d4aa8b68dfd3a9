package dev.engage.jobs.bench;

import dev.engage.jobs.ApplicationSettings;
import dev.engage.jobs.KafkaEndpoints;
import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.jobs.JobTuning;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a benchmark uses of the running stack: its broker and registry, a Redis database it may
 * empty, throw-away topics of its own (named {@code bench-<name>-<topic>-<random>}, deleted at the
 * end), and the application settings its jobs run with.
 */
final class BenchStack {
  private final String name;
  private final String bootstrapServers;
  private final String registryUrl;
  private final URI redisUri;

  BenchStack(String name, String bootstrapServers, String registryUrl, URI redisUri) {
    this.name = name;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.redisUri = redisUri;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  URI redisUri() {
    return redisUri;
  }

  KafkaEndpoints kafka(TopicCatalog topics) {
    return new KafkaEndpoints(bootstrapServers, registryUrl, topics.jobsDlq().name());
  }

  /**
   * Creates the topics (catalog ids), touchpoints with the given partitions and the rest with one,
   * and returns the catalog that names them; every other id keeps its default name, unused.
   */
  TopicCatalog createTopics(List<String> ids, int touchpointPartitions) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> names = new HashMap<>();
    ids.forEach(id -> names.put(id, prefix() + id.replace('.', '-') + "-" + suffix));
    try (Admin admin = admin()) {
      admin
          .createTopics(
              names.entrySet().stream()
                  .map(
                      e ->
                          new NewTopic(
                              e.getValue(),
                              e.getKey().equals("touchpoints") ? touchpointPartitions : 1,
                              (short) 1))
                  .toList())
          .all()
          .get();
    }
    return new TopicCatalog(
        new TopicSettings(1, (short) 1, names, Map.of()), new SchemaRegistryClient(registryUrl));
  }

  /** Deletes the throw-away topics (the catalog's ones with this benchmark's names). */
  void deleteTopics(TopicCatalog topics) throws Exception {
    List<String> names =
        topics.all().stream().map(Topic::name).filter(n -> n.startsWith(prefix())).toList();
    try (Admin admin = admin()) {
      admin.deleteTopics(names).all().get();
    }
  }

  /**
   * Waits until a single-partition topic holds {@code count} records: a job's progress, read from
   * outside the job as its output.
   */
  Progress awaitRecords(Topic<?, ?> topic, long count, String what, Duration timeout)
      throws InterruptedException {
    TopicPartition partition = new TopicPartition(topic.name(), 0);
    try (KafkaConsumer<byte[], byte[]> offsets = offsetReader()) {
      Progress progress =
          Progress.of(name, () -> offsets.endOffsets(List.of(partition)).get(partition));
      progress.awaitCount(count, what, timeout);
      return progress;
    }
  }

  /** The end offset of the topic's first partition, where {@link #awaitRecords} counts. */
  long endOffset(Topic<?, ?> topic) {
    TopicPartition partition = new TopicPartition(topic.name(), 0);
    try (KafkaConsumer<byte[], byte[]> offsets = offsetReader()) {
      return offsets.endOffsets(List.of(partition)).get(partition);
    }
  }

  /**
   * The application's settings, with the decisions' defaults and Redis batched as in production.
   */
  ApplicationSettings settings(String groupId) {
    return new ApplicationSettings(
        groupId,
        JobTuning.defaults(),
        DisruptionSeverity.defaults(),
        redisUri,
        DecisionSettings.defaults(),
        AnalyticsSettings.defaults());
  }

  /** Removes a benchmark's work directory (checkpoints, savepoints) and everything in it. */
  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> offsetReader() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(props);
  }

  private String prefix() {
    return "bench-" + name + "-";
  }
}
