package dev.engage.api.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.HostAndPort;

/**
 * How the API reaches Redis: one server ({@code redis://host:port}) or a Redis Cluster (several
 * seed URIs, comma-separated, with {@code cluster}), with short timeouts and a bounded pool so that
 * a Redis outage makes requests fail fast (503) instead of piling up threads.
 *
 * @param poolSize connections at most (per cluster node)
 * @param poolWait how long a request waits for a free connection before failing
 */
public record RedisSettings(
    List<URI> uris,
    boolean cluster,
    Duration connectTimeout,
    Duration readTimeout,
    int poolSize,
    Duration poolWait) {
  public RedisSettings {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("--redis-uri: at least one URI is needed");
    }
    for (URI uri : uris) {
      if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            "--redis-uri: expected redis://host:port, was '" + uri + "'");
      }
    }
    if (!cluster && uris.size() > 1) {
      throw new IllegalArgumentException(
          "--redis-uri: several URIs are only allowed with --redis-cluster");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("--redis-pool-size must be at least 1");
    }
    uris = List.copyOf(uris);
  }

  /** Defaults for one Redis server: 250 ms to connect, 500 ms per command, 32 connections. */
  public static RedisSettings of(String uris, boolean cluster, int poolSize) {
    List<URI> parsed = new ArrayList<>();
    for (String uri : uris.split(",")) {
      if (!uri.isBlank()) {
        try {
          parsed.add(URI.create(uri.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--redis-uri: '" + uri + "' is not a URI");
        }
      }
    }
    return new RedisSettings(
        parsed,
        cluster,
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        poolSize,
        Duration.ofMillis(100));
  }

  public HostAndPort first() {
    return new HostAndPort(uris.get(0).getHost(), uris.get(0).getPort());
  }
}
