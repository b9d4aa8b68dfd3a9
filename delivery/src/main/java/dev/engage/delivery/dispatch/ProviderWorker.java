package dev.engage.delivery.dispatch;

import dev.engage.avro.Notification;
import dev.engage.avro.ResponseType;
import dev.engage.delivery.channel.ChannelSender;
import dev.engage.delivery.channel.SendOutcome;
import dev.engage.delivery.ops.DeliveryMetrics;
import dev.engage.delivery.store.DeliveryStore;
import dev.engage.delivery.store.Leased;
import dev.engage.delivery.store.OutboxRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one provider's queue on a thread of its own, so a provider that is down or slow holds up
 * nothing but itself: takes due notifications, resolves each address at send time, sends within the
 * provider's rate, and settles the outcome (sent, retried later with backoff, moved to the fallback
 * while the breaker is open, or failed with a dead letter after the last try).
 */
public final class ProviderWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderWorker.class);
  private static final int BATCH = 20;
  private static final long IDLE_WAIT_MS = 50;

  /** How long after its decision a notification waits for an address to appear in contacts. */
  static final Duration ADDRESS_WAIT = Duration.ofSeconds(10);

  /** What the worker needs to know of its provider. */
  public record Settings(
      String channel,
      String provider,
      String fallback,
      int maxAttempts,
      Duration lease,
      Duration sendTimeout) {}

  private final Settings settings;
  private final DeliveryStore store;
  private final ChannelSender sender;
  private final Addresses addresses;
  private final Responses responses;
  private final Deserializer<Notification> notifications;
  private final DeliveryMetrics metrics;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;
  private final Backoff backoff;
  private final Clock clock;
  private volatile boolean running = true;

  public ProviderWorker(
      Settings settings,
      DeliveryStore store,
      ChannelSender sender,
      Addresses addresses,
      Responses responses,
      Deserializer<Notification> notifications,
      DeliveryMetrics metrics,
      CircuitBreaker breaker,
      RateLimiter limiter,
      Backoff backoff,
      Clock clock) {
    this.settings = settings;
    this.store = store;
    this.sender = sender;
    this.addresses = addresses;
    this.responses = responses;
    this.notifications = notifications;
    this.metrics = metrics;
    this.breaker = breaker;
    this.limiter = limiter;
    this.backoff = backoff;
    this.clock = clock;
  }

  @Override
  public void run() {
    while (running) {
      try {
        if (workOnce() == 0) {
          Thread.sleep(IDLE_WAIT_MS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Redis away, say: nothing was settled, the leases run out and the work comes back
        LOG.warn("{}: {}; trying again in 1 s", settings.provider(), e.toString());
        sleep(1000);
      }
    }
  }

  /** Stops after the send in progress; what it held comes back when its lease ends. */
  public void stop() {
    running = false;
  }

  /** Takes and handles one batch of due notifications; returns how many there were. */
  int workOnce() throws InterruptedException {
    long now = clock.millis();
    long leaseEnd = now + settings.lease().toMillis();
    List<Leased> batch = store.lease(settings.channel(), settings.provider(), now, leaseEnd, BATCH);
    for (Leased item : batch) {
      // a send must end before the lease does, or another worker could take the item meanwhile
      if (!running || clock.millis() + settings.sendTimeout().toMillis() >= leaseEnd) {
        break;
      }
      handle(item);
    }
    return batch.size();
  }

  private void handle(Leased item) throws InterruptedException {
    Notification n = notifications.deserialize(null, item.notification());
    Instant now = clock.instant();
    if (n.getExpiresAt() != null && now.isAfter(n.getExpiresAt())) {
      fail(item, n, "expired at " + n.getExpiresAt() + " before it could be sent", false);
      return;
    }
    Optional<String> address =
        "in_app".equals(settings.channel())
            ? Optional.of("inbox")
            : addresses.of(n.getCustomerId(), settings.channel());
    if (address.isEmpty()) {
      // contacts and notifications are separate topics: an address written a moment before the
      // notification may not have reached the contact table yet
      if (now.isBefore(n.getCreatedAt().plus(ADDRESS_WAIT))) {
        store.reschedule(
            settings.channel(),
            settings.provider(),
            settings.provider(),
            item.notificationId(),
            now.toEpochMilli() + 1000,
            item.attempts());
        return;
      }
      fail(item, n, "no " + settings.channel() + " address on file for the customer", false);
      return;
    }
    if (!breaker.allows(now.toEpochMilli())) {
      deferWhileOpen(item);
      return;
    }
    long wait;
    while ((wait = limiter.acquire(clock.millis())) > 0) {
      Thread.sleep(wait);
    }
    int attempt = item.attempts() + 1;
    if (item.inDoubt()) {
      metrics.inDoubt(settings.channel(), settings.provider());
      LOG.info(
          "{}: {} was being sent when a process stopped ({}); sending again with the same ids",
          settings.provider(),
          item.notificationId(),
          item.state());
    }
    store.markSending(settings.channel(), item.notificationId(), attempt);
    SendOutcome outcome = sender.send(n, address.get());
    if (outcome instanceof SendOutcome.Sent sent) {
      succeed(item, n, sent.providerMessageId());
    } else if (outcome instanceof SendOutcome.Retry retry) {
      retry(item, n, attempt, retry);
    } else if (outcome instanceof SendOutcome.Failed failed) {
      fail(item, n, failed.reason(), true, attempt);
    }
  }

  private void succeed(Leased item, Notification n, String providerMessageId) {
    breaker.succeeded();
    Instant now = clock.instant();
    store.settle(
        settings.channel(),
        settings.provider(),
        item.notificationId(),
        "sent:" + settings.provider() + ":" + providerMessageId,
        List.of(
            responses.response(
                n, ResponseType.DELIVERED, settings.provider(), providerMessageId, null, now)));
    metrics.sent(settings.channel(), settings.provider());
  }

  private void retry(Leased item, Notification n, int attempt, SendOutcome.Retry retry) {
    breaker.failed(clock.millis());
    if (attempt >= settings.maxAttempts()) {
      fail(item, n, "gave up after " + attempt + " tries: " + retry.reason(), true, attempt);
      return;
    }
    Duration delay = backoff.delay(attempt, retry.retryAfter());
    LOG.info(
        "{}: {} try {} failed ({}); next in {} ms",
        settings.provider(),
        item.notificationId(),
        attempt,
        retry.reason(),
        delay.toMillis());
    store.reschedule(
        settings.channel(),
        settings.provider(),
        settings.provider(),
        item.notificationId(),
        clock.millis() + delay.toMillis(),
        attempt);
    metrics.retried(settings.channel(), settings.provider());
  }

  /** The breaker is open: the fallback takes it now, or it waits until the breaker half-opens. */
  private void deferWhileOpen(Leased item) {
    String to = settings.fallback() == null ? settings.provider() : settings.fallback();
    long at = settings.fallback() == null ? breaker.openUntil() : clock.millis();
    store.reschedule(
        settings.channel(), settings.provider(), to, item.notificationId(), at, item.attempts());
  }

  private void fail(Leased item, Notification n, String reason, boolean deadLetter) {
    fail(item, n, reason, deadLetter, item.attempts());
  }

  private void fail(Leased item, Notification n, String reason, boolean deadLetter, int attempts) {
    Instant now = clock.instant();
    OutboxRecord failed =
        responses.response(n, ResponseType.FAILED, settings.provider(), null, reason, now);
    List<OutboxRecord> records =
        deadLetter
            ? List.of(failed, responses.deadLetter(n, settings.provider(), reason, attempts, now))
            : List.of(failed);
    store.settle(
        settings.channel(),
        settings.provider(),
        item.notificationId(),
        "failed:" + reason,
        records);
    metrics.failed(settings.channel(), settings.provider());
    LOG.info("{}: {} not delivered: {}", settings.provider(), item.notificationId(), reason);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
