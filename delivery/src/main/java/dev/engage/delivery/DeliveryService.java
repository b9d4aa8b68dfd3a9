package dev.engage.delivery;

import dev.engage.avro.Notification;
import dev.engage.delivery.channel.ChannelSender;
import dev.engage.delivery.channel.EmailComposer;
import dev.engage.delivery.channel.EmailSender;
import dev.engage.delivery.channel.InboxSender;
import dev.engage.delivery.channel.WebhookSender;
import dev.engage.delivery.config.DeliveryConfig;
import dev.engage.delivery.config.ProviderConfig;
import dev.engage.delivery.dispatch.Backoff;
import dev.engage.delivery.dispatch.CircuitBreaker;
import dev.engage.delivery.dispatch.ProviderWorker;
import dev.engage.delivery.dispatch.RateLimiter;
import dev.engage.delivery.dispatch.Responses;
import dev.engage.delivery.kafka.ContactBook;
import dev.engage.delivery.kafka.InboxReadMarker;
import dev.engage.delivery.kafka.NotificationIntake;
import dev.engage.delivery.kafka.OutboxRelay;
import dev.engage.delivery.ops.DeliveryMetrics;
import dev.engage.delivery.ops.OpsServer;
import dev.engage.delivery.store.DeliveryStore;
import dev.engage.schemas.kafka.StaticMembership;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.signing.UnsubscribeToken;
import dev.engage.schemas.topics.TopicCatalog;
import jakarta.mail.Session;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * The delivery service: follows {@code contacts}, moves {@code notifications} into per-provider
 * queues in Redis, works each queue on its own thread, relays the outcomes to {@code responses} and
 * {@code notifications.dlq}, and keeps the in-app inbox. Ready once the contacts table has caught
 * up and the intake holds its partitions.
 */
public final class DeliveryService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

  /** The provider name of the in-app inbox, which needs no configuration. */
  public static final String INBOX = "inbox";

  private final Clock clock = Clock.systemUTC();
  private final DeliveryConfig config;
  private final UnifiedJedis redis;
  private final DeliveryStore store;
  private final DeliveryMetrics metrics = new DeliveryMetrics();
  private final Responses responses;
  private final Deserializer<Notification> notifications;
  private final ContactBook contacts;
  private final NotificationIntake intake;
  private final InboxReadMarker readMarker;
  private final OutboxRelay relay;
  private final List<ProviderWorker> workers = new ArrayList<>();
  private final List<ChannelSender> senders = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final OpsServer ops;

  private DeliveryService(DeliverySettings settings) {
    config = settings.config();
    TopicCatalog topics =
        new TopicCatalog(settings.topics(), new SchemaRegistryClient(settings.registryUrl()));
    redis = new JedisPooled(settings.redisUri());
    store = new DeliveryStore(redis, settings.ledgerTtl());
    responses = new Responses(topics);
    responses.warmUp();
    notifications = topics.notifications().valueSerde().deserializer();
    contacts = new ContactBook(settings.bootstrapServers(), topics.contacts());

    Map<String, String> providerByChannel = new LinkedHashMap<>();
    providerByChannel.put("in_app", INBOX);
    for (String channel : List.of("email", "sms", "push")) {
      config.primaryFor(channel).ifPresent(p -> providerByChannel.put(channel, p.name()));
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    UnsubscribeToken tokens = new UnsubscribeToken(settings.unsubscribeSecret());
    for (ProviderConfig provider : config.providers().values()) {
      addWorker(
          new ProviderWorker.Settings(
              provider.channel(),
              provider.name(),
              provider.fallback(),
              config.retry().maxAttempts(),
              settings.lease(),
              provider.timeout()),
          sender(provider, tokens, http),
          provider.ratePerSecond());
    }
    addWorker(
        new ProviderWorker.Settings(
            "in_app",
            INBOX,
            null,
            config.retry().maxAttempts(),
            settings.lease(),
            Duration.ofSeconds(2)),
        new InboxSender(redis, clock),
        10_000);

    intake =
        new NotificationIntake(
            settings.bootstrapServers(),
            topics.notifications(),
            store,
            providerByChannel,
            responses,
            clock,
            StaticMembership.instanceId("delivery", settings.port()));
    List<String> outboxes = new ArrayList<>(providerByChannel.keySet());
    outboxes.add(DeliveryStore.UNROUTED);
    relay = new OutboxRelay(settings.bootstrapServers(), topics, store, outboxes);
    readMarker =
        new InboxReadMarker(
            settings.bootstrapServers(),
            topics.responses(),
            redis,
            StaticMembership.instanceId("delivery-inbox", settings.port()));
    ops =
        new OpsServer(
            settings.host(),
            settings.port(),
            () -> contacts.isCaughtUp() && intake.isAssigned(),
            metrics);
  }

  private ChannelSender sender(ProviderConfig provider, UnsubscribeToken tokens, HttpClient http) {
    if (!provider.isEmail()) {
      return new WebhookSender(provider, http, clock);
    }
    Session session = EmailSender.session(provider);
    return new EmailSender(
        session, new EmailComposer(session, config.from(), config.unsubscribeUrl(), tokens));
  }

  private void addWorker(ProviderWorker.Settings worker, ChannelSender sender, double rate) {
    senders.add(sender);
    workers.add(
        new ProviderWorker(
            worker,
            store,
            sender,
            contacts,
            responses,
            notifications,
            metrics,
            new CircuitBreaker(config.breaker().failures(), config.breaker().openFor()),
            new RateLimiter(rate, clock.millis()),
            new Backoff(
                config.retry().firstDelay(),
                config.retry().maxDelay(),
                () -> ThreadLocalRandom.current().nextDouble()),
            clock));
    metrics.queued(
        worker.channel(),
        worker.provider(),
        () -> store.queued(worker.channel(), worker.provider()));
  }

  /**
   * Starts the service: the contacts table first (sends wait until it has caught up, so no address
   * is missed), then the workers, the intake and the relay.
   */
  public static DeliveryService start(DeliverySettings settings) throws InterruptedException {
    DeliveryService service = new DeliveryService(settings);
    service.run("contacts", service.contacts);
    if (!service.contacts.awaitCaughtUp(Duration.ofMinutes(2))) {
      LOG.warn("contacts did not catch up within 2 minutes; starting anyway");
    }
    for (ProviderWorker worker : service.workers) {
      service.run("worker", worker);
    }
    service.run("intake", service.intake);
    service.run("outbox", service.relay);
    service.run("inbox-read", service.readMarker);
    LOG.info("delivery started; operator port {}", service.ops.port());
    return service;
  }

  /** The operator port ({@code /health}, {@code /metrics}). */
  public int port() {
    return ops.port();
  }

  private void run(String name, Runnable task) {
    Thread thread = new Thread(task, "delivery-" + name + "-" + threads.size());
    thread.start();
    threads.add(thread);
  }

  @Override
  public void close() {
    ops.close();
    intake.close();
    readMarker.close();
    workers.forEach(ProviderWorker::stop);
    relay.stop();
    contacts.close();
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    senders.forEach(ChannelSender::close);
    redis.close();
  }
}
