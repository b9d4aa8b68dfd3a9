package dev.engage.jobs;

import dev.engage.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the stream-jobs service runs with, validated when built: where Kafka and the registry
 * are, how the local MiniCluster checkpoints, the topics (the stack's {@link TopicSettings}, so a
 * renamed topic is renamed here too) and the application's own settings.
 *
 * @param checkpointDir local runs: where checkpoints go; empty on a cluster, whose configuration
 *     then decides
 */
public record StreamJobsSettings(
    String bootstrapServers,
    String registryUrl,
    Optional<Path> checkpointDir,
    Duration checkpointInterval,
    int restPort,
    int parallelism,
    TopicSettings topics,
    ApplicationSettings application) {

  /** Flink refuses a shorter checkpoint interval. */
  static final Duration SHORTEST_CHECKPOINT_INTERVAL = Duration.ofMillis(10);

  public StreamJobsSettings {
    List<String> problems = new ArrayList<>();
    if (checkpointInterval.compareTo(SHORTEST_CHECKPOINT_INTERVAL) < 0) {
      problems.add("jobs.checkpoint-interval must be 10 ms or more, not " + checkpointInterval);
    }
    if (restPort < 1 || restPort > 65_535) {
      problems.add("jobs.rest-port must be from 1 to 65535, not " + restPort);
    }
    if (parallelism < 1) {
      problems.add("jobs.parallelism must be at least 1, not " + parallelism);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  public KafkaEndpoints kafka() {
    return new KafkaEndpoints(bootstrapServers, registryUrl);
  }
}
