package dev.engage.jobs.redis;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * The stream jobs' Redis client for a {@code --redis-uri}: {@code redis://host:port} is one Redis
 * ({@link JedisPooled}); {@code redis-cluster://host:port,host:port,...} is a Redis Cluster,
 * reached through any of the seed nodes named ({@link JedisCluster}). Every key a write touches in
 * one command carries the customer's hash tag ({@code cust:{id}:...}) or is a single key, so the
 * same writes work on both.
 */
public final class RedisClients {
  public static final String CLUSTER_SCHEME = "redis-cluster";

  private RedisClients() {}

  public static UnifiedJedis connect(URI uri) {
    if (!CLUSTER_SCHEME.equals(uri.getScheme())) {
      return new JedisPooled(uri);
    }
    return new JedisCluster(seeds(uri));
  }

  /** The seed nodes of a {@code redis-cluster://} URI; refused when one is not host:port. */
  public static Set<HostAndPort> seeds(URI uri) {
    Set<HostAndPort> seeds = new LinkedHashSet<>();
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    for (String seed : authority.split(",")) {
      int colon = seed.lastIndexOf(':');
      try {
        seeds.add(
            new HostAndPort(seed.substring(0, colon), Integer.parseInt(seed.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--redis-uri "
                + uri
                + ": each seed of a Redis Cluster must be host:port, e.g."
                + " redis-cluster://10.0.0.1:6379,10.0.0.2:6379; '"
                + seed
                + "' is not");
      }
    }
    return seeds;
  }
}
