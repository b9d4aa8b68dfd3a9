package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.redis.RedisClients;
import dev.engage.jobs.redis.RedisProfiles;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads of profiles from Redis on threads of their own, so a slow Redis holds up only the customers
 * being read. Used from the operator's thread only (the map of reads under way is not shared); the
 * reads complete on the pool. Not checkpointed: after a restore a read is simply asked again.
 */
final class AsyncProfileReads implements AutoCloseable {
  /** As many reads at once per subtask; Jedis's pool holds as many connections. */
  private static final int CONCURRENT_READS = 4;

  private final UnifiedJedis redis;
  private final RedisProfiles profiles;
  private final ExecutorService pool;
  private final Map<String, Read> underWay = new HashMap<>();

  /** A read and when it was asked (processing time), to space out the looks at it. */
  record Read(CompletableFuture<Optional<CustomerProfile>> answer, long askedAt) {}

  AsyncProfileReads(URI redisUri) {
    redis = RedisClients.connect(redisUri);
    profiles = new RedisProfiles(redis);
    pool =
        Executors.newFixedThreadPool(
            CONCURRENT_READS,
            runnable -> {
              Thread thread = new Thread(runnable, "profile-reloads");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The customer's read under way, asked now if none is. */
  Read of(String customerId, long now) {
    return underWay.computeIfAbsent(
        customerId,
        id -> new Read(CompletableFuture.supplyAsync(() -> profiles.read(id), pool), now));
  }

  /** The answer was taken: the next read of the customer asks Redis again. */
  void forget(String customerId) {
    underWay.remove(customerId);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    redis.close();
  }
}
