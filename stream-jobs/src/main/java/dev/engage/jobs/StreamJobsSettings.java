package dev.engage.jobs;

import dev.engage.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the stream-jobs service runs with, validated when built: where Kafka and the registry
 * are, where the local MiniCluster checkpoints, the topics (the stack's {@link TopicSettings}, so a
 * renamed topic is renamed here too) and the application's own settings.
 *
 * @param checkpointDir local runs: where checkpoints go; empty on a cluster, whose configuration
 *     then decides
 */
public record StreamJobsSettings(
    String bootstrapServers,
    String registryUrl,
    Optional<Path> checkpointDir,
    int restPort,
    TopicSettings topics,
    ApplicationSettings application) {

  public StreamJobsSettings {
    if (restPort < 1 || restPort > 65_535) {
      throw new IllegalArgumentException("jobs.rest-port must be from 1 to 65535, not " + restPort);
    }
  }
}
