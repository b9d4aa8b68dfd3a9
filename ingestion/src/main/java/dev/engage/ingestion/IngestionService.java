package dev.engage.ingestion;

import dev.engage.ingestion.collector.CollectorServer;
import dev.engage.ingestion.collector.EventWriter;
import dev.engage.ingestion.collector.Sources;
import dev.engage.ingestion.contacts.RecentContacts;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.schemas.kafka.StaticMembership;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion service: the HTTP collector writing {@code touchpoints.raw}, the Kafka Streams
 * normalizer reading it, and the Kafka Streams application taking bookings' contact points ({@link
 * ContactsTopology}), in one process with one lifecycle and one metrics registry.
 */
public final class IngestionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionService.class);

  /** Everything the service needs, validated when built. */
  public record Settings(
      String host,
      int port,
      String bootstrapServers,
      String registryUrl,
      Path configFile,
      Path stateDir,
      Duration dedupeWindow,
      Duration maxFutureSkew,
      int normalizerThreads,
      TopicSettings topics) {
    public Settings {
      if (normalizerThreads < 1) {
        throw new IllegalArgumentException(
            "normalizer threads must be at least 1, was " + normalizerThreads);
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("collector port must be 0-65535, was " + port);
      }
      if (dedupeWindow.isNegative() || dedupeWindow.isZero()) {
        throw new IllegalArgumentException("dedupe window must be positive, was " + dedupeWindow);
      }
      if (maxFutureSkew.isNegative()) {
        throw new IllegalArgumentException(
            "max future skew must not be negative, was " + maxFutureSkew);
      }
    }
  }

  private final KafkaStreams streams;
  private final KafkaStreams bookingContacts;
  private final EventWriter writer;
  private final CollectorServer collector;

  private IngestionService(
      KafkaStreams streams,
      KafkaStreams bookingContacts,
      EventWriter writer,
      CollectorServer collector) {
    this.streams = streams;
    this.bookingContacts = bookingContacts;
    this.writer = writer;
    this.collector = collector;
  }

  public static IngestionService start(Settings settings) {
    Sources sources = Sources.load(settings.configFile());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TopicCatalog topics =
        new TopicCatalog(settings.topics(), new SchemaRegistryClient(settings.registryUrl()));
    NormalizerTopology.Settings topologySettings =
        new NormalizerTopology.Settings(
            IdentityNamespaces.load(settings.configFile()),
            settings.dedupeWindow(),
            settings.maxFutureSkew());
    RecentContacts recentContacts = new RecentContacts();
    IngestionMetrics metrics = new IngestionMetrics(registry);
    Properties normalizerProps = streamsProps(settings, "engage-ingestion", topics, metrics);
    // With exactly-once a thread waits for the broker at each commit (its producer's flush, then
    // the transaction's end): a second thread processes its own partitions meanwhile.
    normalizerProps.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.normalizerThreads());
    KafkaStreams streams =
        started(
            NormalizerTopology.build(topics, topologySettings, metrics, recentContacts),
            normalizerProps,
            "Normalizer");
    KafkaStreams bookingContacts =
        started(
            ContactsTopology.fromBookings(topics, recentContacts),
            streamsProps(settings, "engage-ingestion-contacts", topics, metrics),
            "Bookings' contacts");
    EventWriter writer = new EventWriter(settings.bootstrapServers());
    CollectorServer collector =
        CollectorServer.start(
            settings.host(),
            settings.port(),
            sources,
            writer,
            topics,
            registry,
            () -> isRunning(streams) && isRunning(bookingContacts));
    LOG.info(
        "Ingestion started: collector on port {}, {} sources",
        collector.port(),
        sources.all().size());
    return new IngestionService(streams, bookingContacts, writer, collector);
  }

  private static KafkaStreams started(Topology topology, Properties props, String name) {
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("{} failed; replacing its thread", name, e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
    return streams;
  }

  private static Properties streamsProps(
      Settings settings, String applicationId, TopicCatalog topics, IngestionMetrics metrics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    // Each raw event becomes exactly one touchpoint (or DLQ record), also across restarts.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // With exactly-once, output becomes visible on commit: commit often for low latency.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.topics().replicationFactor());
    // a record a processor throws on goes to the DLQ; the thread never dies on it
    UnexpectedFailures.configure(props, topics, metrics);
    // a restarted instance takes its partitions back at once (Streams does not leave the group on
    // close, and a crash never does)
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        StaticMembership.instanceId("ingestion", settings.port()));
    return props;
  }

  private static boolean isRunning(KafkaStreams streams) {
    KafkaStreams.State state = streams.state();
    return state == KafkaStreams.State.RUNNING;
  }

  public boolean isRunning() {
    return isRunning(streams) && isRunning(bookingContacts);
  }

  public int collectorPort() {
    return collector.port();
  }

  @Override
  public void close() {
    collector.close();
    writer.close();
    streams.close(Duration.ofSeconds(30));
    bookingContacts.close(Duration.ofSeconds(30));
  }
}
