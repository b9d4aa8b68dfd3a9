package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.ingestion.collector.Source;
import dev.engage.ingestion.collector.Sources;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingestion service started for a test class on the shared local stack with the given sources,
 * and helpers to post to its collector and read what reached the real topics.
 */
final class TestIngestion implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final IngestionService service;
  final TopicCatalog topics;
  final StackConfig config;

  private TestIngestion(IngestionService service, TopicCatalog topics, StackConfig config) {
    this.service = service;
    this.topics = topics;
    this.config = config;
  }

  /** Starts the service and waits until its normalizer runs. */
  static TestIngestion start(StackConfig config, Path dir, List<Source> sources) throws Exception {
    Path file = dir.resolve("ingestion.yaml");
    Sources.write(file, sources);
    IngestionService service =
        IngestionService.start(
            new IngestionService.Settings(
                "127.0.0.1",
                0,
                config.bootstrapServers(),
                config.registryUrl(),
                file,
                dir.resolve("state"),
                Duration.ofHours(24),
                Duration.ofHours(1),
                2,
                config.topics()));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!service.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(100); // the normalizer's exactly-once start-up, before the first test reads
    }
    return new TestIngestion(
        service,
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl())),
        config);
  }

  URI collector(String path) {
    return URI.create(base() + path);
  }

  /** The collector's address as a page addresses it. */
  String base() {
    return "http://127.0.0.1:" + service.collectorPort();
  }

  /** Posts JSON with the write key as the HTTP Basic user name. */
  HttpResponse<String> post(String path, String writeKey, String body) throws Exception {
    String auth =
        Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(collector(path))
            .header("Authorization", "Basic " + auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Reads the topic from the start until {@code expected} matching records or 60 s. */
  <V> List<ConsumerRecord<String, V>> read(
      Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> filter, int expected) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"));
    List<ConsumerRecord<String, V>> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // generous for a loaded 2-core machine: returns as soon as the records are there
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (filter.test(r)) {
                    found.add(r);
                  }
                });
      }
      // a little longer, so an unexpected extra record (a duplicate) would be seen
      consumer
          .poll(Duration.ofSeconds(1))
          .forEach(
              r -> {
                if (filter.test(r)) {
                  found.add(r);
                }
              });
    }
    return found;
  }

  /** Asserts a problem+json answer of that status whose body mentions {@code detail}. */
  static void assertProblem(HttpResponse<String> answer, int status, String detail)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.toString()).contains(detail);
    // the format every Engage service answers (serving-api's SecurityIT checks the same)
    assertThat(body.path("type").asText()).startsWith(Problem.TYPE_BASE);
    assertThat(body.path("title").asText()).isNotBlank();
    assertThat(body.path("instance").asText()).isEqualTo(answer.request().uri().getPath());
  }

  @Override
  public void close() {
    service.close();
  }
}
