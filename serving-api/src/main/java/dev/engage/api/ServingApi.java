package dev.engage.api;

import dev.engage.api.actions.ActionStats;
import dev.engage.api.actions.ActionStatsRoutes;
import dev.engage.api.analytics.AnalyticsRoutes;
import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.RateLimiter;
import dev.engage.api.auth.StreamTokens;
import dev.engage.api.customers.AppTokenRoute;
import dev.engage.api.customers.CustomerReadRoutes;
import dev.engage.api.customers.CustomerStreamRoute;
import dev.engage.api.customers.CustomerWriteRoutes;
import dev.engage.api.customers.LiveUpdates;
import dev.engage.api.customers.UnsubscribeRoutes;
import dev.engage.api.http.ErrorHandlers;
import dev.engage.api.http.RequestLimits;
import dev.engage.api.http.RequestMetrics;
import dev.engage.api.http.RouteTable;
import dev.engage.api.kafka.EventPublisher;
import dev.engage.api.kafka.TopicFollower;
import dev.engage.api.ops.HealthCheck;
import dev.engage.api.ops.OperatorRoutes;
import dev.engage.api.receipts.ReceiptRoutes;
import dev.engage.api.redis.CustomerState;
import dev.engage.api.redis.RedisConnections;
import dev.engage.api.rules.FireCounts;
import dev.engage.api.rules.PublishedRules;
import dev.engage.api.rules.RuleHistory;
import dev.engage.api.rules.RuleRoutes;
import dev.engage.api.tasks.AgentTaskStore;
import dev.engage.api.tasks.TaskRoutes;
import dev.engage.api.web.WebPages;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.signing.UnsubscribeToken;
import dev.engage.schemas.topics.TopicCatalog;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The serving API: wires Redis, Kafka, the keys and the route groups into one Javalin server.
 * Started by {@link ServingApiMain} and by the integration tests, with the same wiring.
 */
public final class ServingApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingApi.class);

  private final Javalin app;
  private final RouteTable routes;
  private final UnifiedJedis redis;
  private final EventPublisher publisher;
  private final HealthCheck health;
  private final LiveUpdates live;
  private final ScheduledExecutorService heartbeat;
  private final TopicFollower<TriggerFired> triggerFollower;
  private final TopicFollower<RuleRecord> historyFollower;
  private final PublishedRules publishedRules;
  private final TopicFollower<PropensityCounts> propensityFollower;

  private ServingApi(ApiSettings settings, Clock clock) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter redisErrors =
        Counter.builder("engage_api_redis_errors")
            .description("Redis commands or subscriptions that failed for want of Redis")
            .register(metrics);
    RequestMetrics requestMetrics = new RequestMetrics(metrics);
    RequestLimits limits = new RequestLimits(settings.maxBodyBytes());
    StreamTokens streamTokens;
    if (settings.streamTokenSecret() == null) {
      LOG.info("stream tokens open streams on this instance only (no --stream-token-secret-file)");
      streamTokens = StreamTokens.random(clock);
    } else {
      streamTokens = new StreamTokens(settings.streamTokenSecret(), clock);
    }
    Authenticator authenticator =
        new Authenticator(
            settings.keys(),
            new RateLimiter(),
            settings.rateLimit(),
            streamTokens,
            Set.of(CustomerStreamRoute.PATH));

    redis = RedisConnections.commands(settings.redis());
    publisher = new EventPublisher(settings.bootstrapServers());
    CustomerState state = new CustomerState(redis);
    health = new HealthCheck(state, settings.bootstrapServers());
    live = new LiveUpdates(() -> RedisConnections.subscriber(settings.redis()), redisErrors);
    TopicCatalog topics =
        new TopicCatalog(settings.topics(), new SchemaRegistryClient(settings.registryUrl()));
    DefinitionParser parser = new DefinitionParser(new ConditionCompiler());
    FireCounts fireCounts = new FireCounts(clock);
    RuleHistory history = new RuleHistory();
    ActionStats actionStats = new ActionStats();

    app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.http.maxRequestSize = settings.maxBodyBytes();
              config.requestLogger.http(requestMetrics::record);
              WebPages.configure(config);
              if (!settings.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(
                    cors ->
                        cors.addRule(
                            rule -> {
                              settings.corsOrigins().forEach(rule::allowHost);
                              rule.exposeHeader("Retry-After");
                            }));
              }
            });
    // one handler, not two: Javalin matches the path again for each before-matched handler
    app.beforeMatched(
        ctx -> {
          authenticator.check(ctx);
          limits.check(ctx);
        });
    ErrorHandlers.register(app, redisErrors);

    routes = new RouteTable(app);
    new CustomerReadRoutes(state, clock).register(routes);
    new CustomerStreamRoute(live, streamTokens).register(routes);
    new AppTokenRoute(streamTokens).register(routes);
    new CustomerWriteRoutes(publisher, topics, state, clock).register(routes);
    publishedRules = PublishedRules.follow(settings.bootstrapServers(), topics.rules());
    new RuleRoutes(
            new RuleStore(
                settings.bootstrapServers(), topics.rules(), topics.rulesHistory(), parser),
            publishedRules,
            parser,
            settings.bootstrapServers(),
            topics.touchpoints(),
            fireCounts,
            history,
            clock)
        .register(routes);
    new UnsubscribeRoutes(
            publisher,
            topics,
            Optional.ofNullable(settings.unsubscribeSecret()).map(UnsubscribeToken::new),
            clock)
        .register(routes);
    new ReceiptRoutes(publisher, topics, settings.receiptProviders(), clock).register(routes);
    new ActionStatsRoutes(actionStats).register(routes);
    new AnalyticsRoutes(redis, actionStats, clock).register(routes);
    new TaskRoutes(new AgentTaskStore(redis), clock).register(routes);
    new OperatorRoutes(health, metrics).register(routes);
    WebPages.register(app);

    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "engage-api-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(live::heartbeat, 15, 15, TimeUnit.SECONDS);
    // the fire counts and the history fill in the background; until caught up they lag
    triggerFollower =
        TopicFollower.start(
            settings.bootstrapServers(),
            topics.triggers(),
            record -> {
              if (record.value() != null) {
                fireCounts.record(record.value());
              }
            });
    historyFollower =
        TopicFollower.start(
            settings.bootstrapServers(),
            topics.rulesHistory(),
            record ->
                history.record(
                    record.key(), record.value(), Instant.ofEpochMilli(record.timestamp())));
    propensityFollower =
        TopicFollower.start(
            settings.bootstrapServers(),
            topics.propensities(),
            record -> {
              if (record.value() != null) {
                actionStats.record(record.value());
              }
            });
  }

  /** Builds the server and starts listening. */
  public static ServingApi start(ApiSettings settings) {
    return start(settings, Clock.systemUTC());
  }

  static ServingApi start(ApiSettings settings, Clock clock) {
    ServingApi api = new ServingApi(settings, clock);
    try {
      api.app.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    LOG.info("Serving API listening on {}:{}", settings.host(), api.port());
    return api;
  }

  public int port() {
    return app.port();
  }

  /** Every served route, as registered. */
  public List<RouteTable.Route> routes() {
    return routes.routes();
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    triggerFollower.close();
    historyFollower.close();
    publishedRules.close();
    propensityFollower.close();
    live.close(); // ends the event streams first, so stopping Jetty does not wait for them
    app.stop();
    health.close();
    publisher.close();
    redis.close();
  }
}
