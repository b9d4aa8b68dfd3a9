package dev.engage.api.redis;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Redis clients from {@link RedisSettings}: pooled commands and a pub/sub connection.
 */
public final class RedisConnections {
  private RedisConnections() {}

  /** A pooled client for commands: {@link JedisPooled} or {@link JedisCluster}. */
  public static UnifiedJedis commands(RedisSettings settings) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(settings.poolWait());
    pool.setJmxEnabled(false);
    if (settings.cluster()) {
      Set<HostAndPort> seeds = new LinkedHashSet<>();
      settings.uris().forEach(u -> seeds.add(new HostAndPort(u.getHost(), u.getPort())));
      return new JedisCluster(seeds, clientConfig(settings), 3, pool);
    }
    return new JedisPooled(settings.first(), clientConfig(settings), pool);
  }

  /**
   * A connection for SUBSCRIBE. Classic pub/sub messages reach every node of a cluster, so one
   * connection to the first node hears every customer's channel.
   */
  public static Jedis subscriber(RedisSettings settings) {
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis(0) // a subscription waits for messages as long as it takes
            .clientName("engage-api-live")
            .build();
    return new Jedis(settings.first(), config);
  }

  private static JedisClientConfig clientConfig(RedisSettings settings) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
        .socketTimeoutMillis((int) settings.readTimeout().toMillis())
        .clientName("engage-api")
        .build();
  }
}
