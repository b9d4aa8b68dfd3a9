package dev.engage.launcher.bench;

import dev.engage.avro.Touchpoint;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A throw-away touchpoints topic for {@code engage bench backtest --kafka}: filled with the
 * benchmark's synthetic touchpoints, spread over the last hour, so the backtest's Kafka path can be
 * timed on 1 M events without touching the real touchpoints topic; deleted on close.
 */
public final class KafkaBacktestTopic implements AutoCloseable {
  private static final int PARTITIONS = 2;

  private final String bootstrapServers;
  private final Topic<String, Touchpoint> topic;

  public KafkaBacktestTopic(String bootstrapServers, String registryUrl) {
    this.bootstrapServers = bootstrapServers;
    String name = "bench.backtest-" + UUID.randomUUID().toString().substring(0, 8);
    this.topic =
        new TopicCatalog(
                new TopicSettings(1, (short) 1, Map.of("touchpoints", name), Map.of()),
                new SchemaRegistryClient(registryUrl))
            .touchpoints();
  }

  public Topic<String, Touchpoint> topic() {
    return topic;
  }

  /** Creates the topic and writes {@code events} touchpoints, spread over the last hour. */
  public void fill(int events, PrintWriter out) throws Exception {
    try (Admin admin = Admin.create(adminProps())) {
      admin.createTopics(List.of(new NewTopic(topic.name(), PARTITIONS, (short) 1))).all().get();
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    Instant start = Instant.now().minus(Duration.ofHours(1));
    long began = System.nanoTime();
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (int i = 0; i < events; i++) {
        Touchpoint event = BacktestBenchmark.event(i, start.plusMillis(i * 3_000_000L / events));
        producer.send(new ProducerRecord<>(topic.name(), event.getCustomerId(), event));
      }
    }
    out.printf(
        "  wrote %,d touchpoints to %s in %.1f s%n",
        events, topic.name(), (System.nanoTime() - began) / 1e9);
  }

  @Override
  public void close() throws Exception {
    try (Admin admin = Admin.create(adminProps())) {
      admin.deleteTopics(List.of(topic.name())).all().get();
    }
  }

  private Properties adminProps() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }
}
