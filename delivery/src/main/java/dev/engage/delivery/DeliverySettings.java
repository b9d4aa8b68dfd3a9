package dev.engage.delivery;

import dev.engage.delivery.config.DeliveryConfig;
import dev.engage.schemas.topics.TopicSettings;
import java.net.URI;
import java.time.Duration;

/**
 * Everything the delivery service is started with, validated: where Kafka, the registry and Redis
 * are, the providers file, the unsubscribe secret, and how long the ledger remembers a sent
 * notification (longer than Kafka keeps notifications, so no replay sends one twice).
 */
public record DeliverySettings(
    String host,
    int port,
    String bootstrapServers,
    String registryUrl,
    URI redisUri,
    DeliveryConfig config,
    byte[] unsubscribeSecret,
    Duration ledgerTtl,
    Duration lease,
    TopicSettings topics) {

  public DeliverySettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port: " + port + " is not a port");
    }
    if (ledgerTtl.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "--ledger-ttl: "
              + ledgerTtl
              + " is too short; it must outlast the notifications topic's retention (7 days by"
              + " default)");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--lease: must be at least 1s, was " + lease);
    }
    for (var provider : config.providers().values()) {
      if (lease.compareTo(provider.timeout().plusSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "--lease: "
                + lease
                + " must be longer than provider "
                + provider.name()
                + "'s timeout ("
                + provider.timeout()
                + ") plus a second, or a slow send could be taken by another worker");
      }
    }
  }
}
