package dev.engage.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.launcher.ingest.CollectorAuth;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code engage bench ingest}: three figures from one run on one machine, so their ratios mean
 * something.
 *
 * <ol>
 *   <li>baseline: a plain Kafka producer (acks=all, idempotent, like the collector's) writing
 *       raw-envelope-sized records to touchpoints.raw;
 *   <li>collector: Segment batches of 100 events over HTTP, several connections, events/s and
 *       request latency p50/p99; then the same for browser-style requests: batches of 3 as {@code
 *       text/plain} to {@code /v1/b} with the write key in the body (what analytics-next sends,
 *       without the CORS preflight, which costs the browser a round trip, not the collector);
 *   <li>normalizer: how fast a backlog of raw events in touchpoints.raw becomes touchpoints.
 * </ol>
 */
public final class IngestBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 100;

  /** How a sender shapes its requests. */
  private record RequestShape(
      String phase, String path, int batchSize, String contentType, boolean basicAuth) {}

  private static final RequestShape SERVER =
      new RequestShape("collector", "/v1/batch", BATCH, "application/json", true);
  private static final RequestShape BROWSER =
      new RequestShape("browser", "/v1/b", 3, "text/plain", false);

  /** Where the baseline writes: like touchpoints.raw, but nobody reads it. */
  private static final String BASELINE_TOPIC = "bench.producer-baseline";

  private final String bootstrapServers;
  private final URI collector;
  private final String writeKey;
  private final PrintWriter out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  public IngestBenchmark(String bootstrapServers, URI collector, String writeKey, PrintWriter out) {
    this.bootstrapServers = bootstrapServers;
    this.collector = collector;
    this.writeKey = writeKey;
    this.out = out;
  }

  /** Runs all three and writes the figures to {@code resultFile} as JSON. */
  public Map<String, Object> run(int events, int connections, Path resultFile) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("events", events);
    results.put("connections", connections);
    results.put("batchSize", BATCH);

    out.printf(
        "bench ingest: %,d events per phase, %d HTTP connections, batches of %d%n",
        events, connections, BATCH);
    double producer = producerBaseline(events);
    results.put("kafkaProducerEventsPerSecond", round(producer));
    out.printf("  kafka producer (baseline)  %,12.0f events/s%n", producer);

    Map<String, Object> collectorFigures = collectorToTouchpoints(SERVER, events, connections);
    results.put("collector", collectorFigures);
    printCollector("collector (HTTP batches)  ", collectorFigures, producer);
    out.printf(
        "  collector -> touchpoints   %,12.0f events/s   (end to end)%n",
        collectorFigures.get("endToEndEventsPerSecond"));
    // small requests cost more per event: a fifth of the events keeps the phase short
    Map<String, Object> browserFigures =
        collectorToTouchpoints(BROWSER, Math.max(BROWSER.batchSize(), events / 5), connections);
    results.put("browser", browserFigures);
    printCollector("browser (text/plain, 3)   ", browserFigures, producer);
    double normalizer = normalizer(events);
    results.put("normalizerEventsPerSecond", round(normalizer));
    out.printf(
        "  normalizer (backlog)       %,12.0f events/s   (%.0f%% of baseline)%n",
        normalizer, 100 * normalizer / producer);

    Files.createDirectories(resultFile.getParent());
    Files.writeString(
        resultFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    out.println("  figures written to " + resultFile);
    return results;
  }

  private double producerBaseline(int events) throws Exception {
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminProps)) {
      if (!admin.listTopics().names().get().contains(BASELINE_TOPIC)) {
        int partitions =
            admin
                .describeTopics(List.of("touchpoints.raw"))
                .allTopicNames()
                .get()
                .get("touchpoints.raw")
                .partitions()
                .size();
        admin
            .createTopics(List.of(new NewTopic(BASELINE_TOPIC, partitions, (short) 1)))
            .all()
            .get();
      }
    }
    try (KafkaProducer<String, byte[]> producer = producer()) {
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        values.add(rawEnvelope("baseline", i));
      }
      long began = System.nanoTime();
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(BASELINE_TOPIC, "k" + (i % 1000), values.get(i % 1000))));
      }
      for (Future<?> f : sent) {
        f.get();
      }
      return events / seconds(began);
    }
  }

  /**
   * Sends the events in the shape's requests, then waits for the normalizer to finish them: an
   * end-to-end figure, and the next phase then times only its own events.
   */
  private Map<String, Object> collectorToTouchpoints(
      RequestShape shape, int events, int connections) throws Exception {
    Map<TopicPartition, Long> before = touchpointEnds();
    long began = System.nanoTime();
    Map<String, Object> figures = collector(shape, events, connections);
    int sent = (events / shape.batchSize()) * shape.batchSize();
    awaitTouchpoints(before, shape.phase(), sent);
    figures.put("endToEndEventsPerSecond", round(sent / seconds(began)));
    return figures;
  }

  private void printCollector(String label, Map<String, Object> figures, double producer) {
    out.printf(
        "  %s %,12.0f events/s   request p50 %.1f ms  p99 %.1f ms   (%.0f%% of baseline)%n",
        label,
        figures.get("eventsPerSecond"),
        figures.get("requestP50Ms"),
        figures.get("requestP99Ms"),
        100 * (double) figures.get("eventsPerSecond") / producer);
  }

  private Map<String, Object> collector(RequestShape shape, int events, int connections)
      throws Exception {
    Histogram latency = new Histogram(60_000_000L, 3);
    int batches = Math.max(1, events / shape.batchSize());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    String auth = CollectorAuth.header(writeKey);
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    long began = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(
          pool.submit(
              () -> {
                for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                  String body = batch(shape, b);
                  HttpRequest.Builder request =
                      HttpRequest.newBuilder(collector.resolve(shape.path()))
                          .header("Content-Type", shape.contentType())
                          .POST(HttpRequest.BodyPublishers.ofString(body));
                  if (shape.basicAuth()) {
                    request.header("Authorization", auth);
                  }
                  long start = System.nanoTime();
                  HttpResponse<Void> answer =
                      http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                  latency.recordValue((System.nanoTime() - start) / 1000);
                  if (answer.statusCode() != 200) {
                    failures.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double elapsed = seconds(began);
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " batches were refused by the collector");
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("batchSize", shape.batchSize());
    figures.put("eventsPerSecond", round(batches * shape.batchSize() / elapsed));
    figures.put("requestP50Ms", latency.getValueAtPercentile(50) / 1000.0);
    figures.put("requestP99Ms", latency.getValueAtPercentile(99) / 1000.0);
    figures.put("requestMaxMs", latency.getMaxValue() / 1000.0);
    return figures;
  }

  /** Writes a backlog of raw events straight to touchpoints.raw and times their normalization. */
  private double normalizer(int events) throws Exception {
    Map<TopicPartition, Long> before = touchpointEnds();
    long began = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < events; i++) {
        producer.send(
            new ProducerRecord<>(
                "touchpoints.raw",
                customerPrefix("normalizer") + (i % 1000),
                rawEnvelope("normalizer", i)));
      }
    }
    awaitTouchpoints(before, "normalizer", events);
    return events / seconds(began);
  }

  private Map<TopicPartition, Long> touchpointEnds() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      return consumer.endOffsets(partitions(consumer, "touchpoints"));
    }
  }

  /** Waits until {@code expected} touchpoints of the phase arrived after the given offsets. */
  private void awaitTouchpoints(Map<TopicPartition, Long> from, String phase, int expected) {
    long seen = 0;
    byte[] prefix = customerPrefix(phase).getBytes(StandardCharsets.UTF_8);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() != null && startsWith(record.key(), prefix)) {
            seen++;
          }
        }
      }
    }
    if (seen < expected) {
      throw new IllegalStateException(
          "only "
              + seen
              + " of "
              + expected
              + " "
              + phase
              + " touchpoints arrived within 5 minutes");
    }
  }

  private byte[] rawEnvelope(String phase, int i) throws IOException {
    ObjectNode envelope = JSON.createObjectNode();
    envelope
        .put("kind", "segment")
        .put("source", "website")
        .put("channel", "web")
        .put("receivedAt", Instant.now().toString());
    envelope.set("event", event(phase, i));
    return JSON.writeValueAsBytes(envelope);
  }

  private String batch(RequestShape shape, int b) {
    ObjectNode body = JSON.createObjectNode();
    if (!shape.basicAuth()) {
      body.put("writeKey", writeKey); // as analytics.js does: a beacon cannot send headers
    }
    ArrayNode batch = body.putArray("batch");
    for (int i = 0; i < shape.batchSize(); i++) {
      batch.add(event(shape.phase(), b * shape.batchSize() + i));
    }
    return body.put("sentAt", Instant.now().toString()).toString();
  }

  private ObjectNode event(String phase, int i) {
    ObjectNode event = JSON.createObjectNode();
    event
        .put("type", "track")
        .put("event", "Product Viewed")
        .put("messageId", "bench-" + run + "-" + phase + "-" + i);
    event
        .put("userId", customerPrefix(phase) + (i % 1000))
        .put("timestamp", Instant.now().toString());
    event
        .putObject("properties")
        .put("product_id", "p" + (i % 50))
        .put("price", 19.99)
        .put("category", "Shoes");
    event
        .putObject("context")
        .put("ip", "127.0.0.1")
        .putObject("library")
        .put("name", "engage-bench");
    return event;
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  private String customerPrefix(String phase) {
    return "bench-" + run + "-" + phase + "-";
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    return value.length >= prefix.length
        && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value);
  }
}
