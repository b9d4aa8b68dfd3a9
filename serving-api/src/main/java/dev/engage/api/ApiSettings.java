package dev.engage.api;

import dev.engage.api.auth.ApiKeys;
import dev.engage.api.receipts.ReceiptProviders;
import dev.engage.api.redis.RedisSettings;
import dev.engage.schemas.topics.TopicSettings;
import java.net.URI;
import java.util.List;

/**
 * Everything the serving API needs, validated when built so a bad setting stops start-up with a
 * message naming it.
 *
 * @param rateLimit requests per second per key, for keys without their own limit
 * @param maxBodyBytes the largest request body accepted (413 above)
 * @param corsOrigins origins a browser page may call the API from; empty: none
 * @param streamTokenSecret the secret stream tokens are signed with, shared by every instance;
 *     null: one drawn at start-up, so a token opens streams on this instance only
 * @param receiptProviders the delivery providers whose signed reports {@code POST
 *     /v1/receipts/{provider}} takes
 * @param unsubscribeSecret the secret delivery signs one-click unsubscribe tokens with; null: the
 *     unsubscribe routes answer 404
 */
public record ApiSettings(
    String host,
    int port,
    RedisSettings redis,
    String bootstrapServers,
    String registryUrl,
    ApiKeys keys,
    List<String> corsOrigins,
    double rateLimit,
    long maxBodyBytes,
    TopicSettings topics,
    byte[] streamTokenSecret,
    ReceiptProviders receiptProviders,
    byte[] unsubscribeSecret) {
  public ApiSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
    }
    if (rateLimit <= 0) {
      throw new IllegalArgumentException("--rate-limit must be positive, was " + rateLimit);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("--max-body must be at least 1024 bytes");
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("--bootstrap-servers is required");
    }
    for (String origin : corsOrigins) {
      URI uri;
      try {
        uri = URI.create(origin);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--cors-origins: '" + origin + "' is not a URL");
      }
      if (uri.getScheme() == null
          || !uri.getScheme().startsWith("http")
          || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty())) {
        throw new IllegalArgumentException(
            "--cors-origins: expected an origin like https://console.example.com, was '"
                + origin
                + "'");
      }
    }
    corsOrigins = List.copyOf(corsOrigins);
  }
}
