package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Event-to-Redis latency as a reader of Redis sees it: the time from sending a customer's
 * touchpoint to Kafka until Redis announces (on {@code nba:{id}}) the profile version that
 * touchpoint made. Each customer is expected to reach one given version.
 */
final class RedisLatencyProbe implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JedisPooled redis;
  private final AtomicLongArray expectedVersion;
  private final AtomicLongArray sentAt;
  private final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
  private final JedisPubSub announcements = new Announcements();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final Thread listener;
  private volatile CountDownLatch arrived = new CountDownLatch(0);

  RedisLatencyProbe(URI redisUri, int customers) throws InterruptedException {
    this.redis = new JedisPooled(redisUri);
    this.expectedVersion = new AtomicLongArray(customers);
    this.sentAt = new AtomicLongArray(customers);
    this.listener =
        new Thread(() -> redis.psubscribe(announcements, "nba:{bench-*"), "redis-latency-probe");
    listener.setDaemon(true);
    listener.start();
    if (!subscribed.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not subscribe to Redis announcements");
    }
  }

  /** Expects {@code count} announcements from now on. */
  void expect(int count) {
    arrived = new CountDownLatch(count);
  }

  /** Call just before sending the touchpoint that should bring the customer to the version. */
  void sending(int customer, long version) {
    expectedVersion.set(customer, version);
    sentAt.set(customer, System.nanoTime());
  }

  boolean awaitAll(long seconds) throws InterruptedException {
    return arrived.await(seconds, TimeUnit.SECONDS);
  }

  long arrived(int expected) {
    return expected - arrived.getCount();
  }

  synchronized Histogram micros() {
    return micros.copy();
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
      long now = System.nanoTime();
      try {
        JsonNode announcement = JSON.readTree(message);
        String id = announcement.path("customerId").asText();
        int customer = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        long sent = sentAt.get(customer);
        if (sent != 0 && announcement.path("version").asLong() == expectedVersion.get(customer)) {
          sentAt.set(customer, 0);
          synchronized (RedisLatencyProbe.this) {
            micros.recordValue(Math.min((now - sent) / 1_000, micros.getHighestTrackableValue()));
          }
          arrived.countDown();
        }
      } catch (Exception e) {
        // not one of ours: ignore it
      }
    }
  }
}
