package dev.engage.api.ops;

import dev.engage.api.redis.CustomerState;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether the API's dependencies answer: Redis (PING) and Kafka (cluster metadata), each bounded.
 */
public final class HealthCheck implements AutoCloseable {
  private static final int KAFKA_TIMEOUT_MS = 2000;

  private final CustomerState redis;
  private final Admin kafka;

  public HealthCheck(CustomerState redis, String bootstrapServers) {
    this.redis = redis;
    Properties props = new Properties();
    props.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS,
            AdminClientConfig.CLIENT_ID_CONFIG, "engage-api-health"));
    this.kafka = Admin.create(props);
  }

  /** One dependency's state; {@code error} is null when it answered. */
  public record Status(boolean up, long millis, String error) {}

  public Status redis() {
    long began = System.nanoTime();
    try {
      redis.ping();
      return new Status(true, elapsed(began), null);
    } catch (RuntimeException e) {
      return new Status(false, elapsed(began), e.getMessage());
    }
  }

  public Status kafka() {
    long began = System.nanoTime();
    try {
      boolean up =
          !kafka.describeCluster().nodes().get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS).isEmpty();
      return new Status(up, elapsed(began), up ? null : "no brokers");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Status(false, elapsed(began), "interrupted");
    } catch (Exception e) {
      return new Status(false, elapsed(began), e.getClass().getSimpleName());
    }
  }

  private static long elapsed(long began) {
    return (System.nanoTime() - began) / 1_000_000;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
