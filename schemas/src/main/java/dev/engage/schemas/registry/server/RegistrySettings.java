package dev.engage.schemas.registry.server;

/**
 * How the embedded registry runs: where it listens, which Kafka cluster and topic hold its state,
 * and the compatibility level that applies until someone sets another.
 */
public record RegistrySettings(
    String host,
    int port,
    String bootstrapServers,
    String topic,
    short replicationFactor,
    CompatibilityLevel defaultCompatibility) {

  public RegistrySettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("registry port must be 0-65535, was " + port);
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("registry needs Kafka bootstrap servers");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("registry needs a topic name for its schemas");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "registry topic replication factor must be >= 1, was " + replicationFactor);
    }
  }
}
