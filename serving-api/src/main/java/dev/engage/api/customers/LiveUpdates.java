package dev.engage.api.customers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.http.Json;
import dev.engage.schemas.redis.RedisKeys;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fans Redis pub/sub out to server-sent-event clients over one subscriber connection: a customer's
 * channel ({@code nba:{id}}) is subscribed while at least one client watches that customer. Each
 * message becomes an SSE event named after its {@code type} field (profile, actions, notification).
 * When Redis goes away the subscriber reconnects with back-off and subscribes every watched channel
 * again; clients stay connected meanwhile (and may miss updates of that time).
 *
 * <p>{@link #watch} tells when Redis has confirmed the channel's subscription: only from then on is
 * every update delivered, so that is when a client may read the current state and rely on the
 * events that follow.
 */
public final class LiveUpdates implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

  /** Always subscribed, so the subscription exists before any customer is watched. */
  static final String CONTROL = "engage:api:live";

  private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,32}");

  private final Supplier<Jedis> connect;
  private final Counter redisErrors;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile Subscriber subscriber;
  private volatile boolean closed;

  public LiveUpdates(Supplier<Jedis> connect, Counter redisErrors) {
    this.connect = connect;
    this.redisErrors = redisErrors;
    this.thread = new Thread(this::run, "engage-api-live");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Sends the client every update of the customer until it disconnects.
   *
   * @return completes once Redis has confirmed the subscription to the customer's channel (at once
   *     when another client already watches them); stays pending while Redis is unreachable
   */
  public CompletableFuture<Void> watch(String customerId, SseClient client) {
    String channel = RedisKeys.updates(customerId);
    client.onClose(() -> unwatch(channel, client));
    synchronized (this) {
      Watch watch = watches.get(channel);
      if (watch == null) {
        watch = new Watch();
        watches.put(channel, watch);
        Subscriber current = subscriber;
        if (current != null && current.isSubscribed()) {
          tell(() -> current.subscribe(channel));
        }
      }
      watch.clients.add(client);
      return watch.subscribed;
    }
  }

  /** A comment to every client: keeps proxies from closing idle streams, finds dead ones. */
  public void heartbeat() {
    watches.values().forEach(w -> w.clients.forEach(c -> c.sendComment("keep-alive")));
  }

  private synchronized void unwatch(String channel, SseClient client) {
    Watch watch = watches.get(channel);
    if (watch == null) {
      return;
    }
    watch.clients.remove(client);
    if (watch.clients.isEmpty()) {
      watches.remove(channel);
      Subscriber current = subscriber;
      if (!closed && current != null && current.isSubscribed()) {
        tell(() -> current.unsubscribe(channel));
      }
    }
  }

  /**
   * Sends a (un)subscribe on the subscriber connection. If that connection just broke, the
   * subscriber loop reconnects and subscribes whatever is watched then, so the change is not lost;
   * a client connecting or leaving must not fail for it (nor must shutting down, which closes the
   * clients after the connection).
   */
  private void tell(Runnable command) {
    try {
      command.run();
    } catch (JedisException e) {
      redisErrors.increment();
      LOG.debug("live updates: subscriber connection unavailable: {}", e.getMessage());
    }
  }

  private void run() {
    long backoffMillis = 100;
    while (!closed) {
      try (Jedis jedis = connect.get()) {
        Subscriber s = new Subscriber();
        subscriber = s;
        jedis.subscribe(s, CONTROL); // blocks until unsubscribed or the connection breaks
        backoffMillis = 100;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        redisErrors.increment();
        LOG.warn("live updates: Redis subscription lost ({}); retrying", e.getMessage());
      }
      forgetConfirmations();
      sleep(backoffMillis);
      backoffMillis = Math.min(backoffMillis * 2, 2000);
    }
  }

  /** The connection is gone: clients that come now wait until the channels are subscribed again. */
  private synchronized void forgetConfirmations() {
    watches.values().forEach(w -> w.subscribed = new CompletableFuture<>());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    Subscriber current = subscriber;
    if (current != null && current.isSubscribed()) {
      current.unsubscribe();
    }
    thread.interrupt();
    watches.values().forEach(w -> w.clients.forEach(SseClient::close));
  }

  private final class Subscriber extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      Watch watch = watches.get(channel);
      if (watch != null) {
        watch.subscribed.complete(null);
      }
      if (CONTROL.equals(channel)) {
        // (re)connected: subscribe whatever is being watched (twice is harmless)
        synchronized (LiveUpdates.this) {
          if (!watches.isEmpty()) {
            subscribe(watches.keySet().toArray(String[]::new));
          }
        }
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      Watch watch = watches.get(channel);
      if (watch == null) {
        return;
      }
      String event = eventName(message);
      for (SseClient client : watch.clients) {
        try {
          client.sendEvent(event, message);
        } catch (RuntimeException e) {
          LOG.debug("live updates: a client went away: {}", e.getMessage());
        }
      }
    }
  }

  /** The clients watching one customer, and when Redis confirmed the channel's subscription. */
  private static final class Watch {
    final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();
  }

  private static String eventName(String message) {
    try {
      JsonNode json = Json.MAPPER.readTree(message);
      String type = json.path("type").asText("");
      return EVENT_NAME.matcher(type).matches() ? type : "update";
    } catch (Exception e) {
      return "update";
    }
  }
}
