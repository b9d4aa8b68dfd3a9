package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Latency to Redis as a reader of Redis sees it: the time from sending a customer's input to Kafka
 * until Redis announces (on {@code nba:{id}}) the version of the given type ({@code profile} or
 * {@code actions}) that input made. Each customer is expected to reach one given version.
 */
final class RedisLatencyProbe implements AutoCloseable {
  /**
   * For {@link #sending}: the customer's first announcement of the type counts, whatever its
   * version (a next-best-actions list's version is the decision's time, not a count).
   */
  static final long ANY_VERSION = -1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JedisPooled redis;
  private final String type;
  private final AtomicLongArray expectedVersion;
  private final LatencyRecorder recorder;
  private final JedisPubSub announcements = new Announcements();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final Thread listener;

  RedisLatencyProbe(URI redisUri, String type, LatencyRecorder recorder, int customers)
      throws InterruptedException {
    this.redis = new JedisPooled(redisUri);
    this.type = type;
    this.recorder = recorder;
    this.expectedVersion = new AtomicLongArray(customers);
    this.listener =
        new Thread(() -> redis.psubscribe(announcements, "nba:{bench-*"), "redis-latency-probe");
    listener.setDaemon(true);
    listener.start();
    if (!subscribed.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not subscribe to Redis announcements");
    }
  }

  /**
   * Call just before sending the input that should bring the customer to the version (or to any,
   * {@link #ANY_VERSION}).
   */
  void sending(int customer, long version) {
    expectedVersion.set(customer, version);
    recorder.sending(customer);
  }

  @Override
  public void close() {
    if (announcements.isSubscribed()) {
      announcements.punsubscribe();
    }
    redis.close();
  }

  private final class Announcements extends JedisPubSub {
    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      subscribed.countDown();
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      try {
        JsonNode announcement = JSON.readTree(message);
        int customer = LatencyRecorder.customerIndex(announcement.path("customerId").asText());
        long expected = expectedVersion.get(customer);
        if (announcement.path("type").asText().equals(type)
            && (expected == ANY_VERSION || announcement.path("version").asLong() == expected)) {
          recorder.arrivedFor(customer);
        }
      } catch (Exception e) {
        // not one of ours: ignore it
      }
    }
  }
}
