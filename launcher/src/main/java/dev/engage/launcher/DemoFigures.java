package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's progress line: events sent and their rate, then what the stack made of them, read from
 * where it lands: committed records on {@code touchpoints}, {@code triggers}, {@code actions} and
 * {@code notifications} (counted by a read_committed consumer: end offsets would also count the
 * transaction markers of the exactly-once topics), and what delivery sent per channel (its
 * metrics).
 */
final class DemoFigures implements AutoCloseable {
  private static final Pattern SENT =
      Pattern.compile(
          "engage_delivery_sent_total\\{channel=\"([a-z_]+)\",provider=\"[^\"]*\"\\} ([0-9.E]+)");
  private static final List<String> COUNTED =
      List.of("touchpoints", "triggers", "actions", "notifications");
  private final StackConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, String> idsByTopic = new HashMap<>();
  private final Map<String, Long> counts = new HashMap<>();
  private boolean assigned;

  DemoFigures(StackConfig config) {
    this.config = config;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-demo-figures");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (String id : COUNTED) {
      idsByTopic.put(config.topics().names().getOrDefault(id, id), id);
      counts.put(id, 0L);
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }

  String line(long sent, double seconds, int customers) {
    catchUp();
    return String.format(
        "  %,9d events  %,6.0f/s  %,d customers | touchpoints %,d  triggers %,d  actions %,d"
            + "  notifications %,d  sent %s",
        sent,
        sent / Math.max(seconds, 1e-3),
        customers,
        counts.get("touchpoints"),
        counts.get("triggers"),
        counts.get("actions"),
        counts.get("notifications"),
        sentByChannel());
  }

  /** Counts the records committed since the last line, a second at most. */
  private void catchUp() {
    try {
      if (!assigned) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : idsByTopic.keySet()) {
          consumer
              .partitionsFor(topic, Duration.ofSeconds(3))
              .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assigned = true;
      }
      long until = System.nanoTime() + 1_000_000_000L;
      ConsumerRecords<byte[], byte[]> records;
      do {
        records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          counts.merge(idsByTopic.get(record.topic()), 1L, Long::sum);
        }
      } while (!records.isEmpty() && System.nanoTime() < until);
    } catch (RuntimeException e) {
      // Kafka not answering: the line shows the last counts
    }
  }

  private Map<String, Long> sentByChannel() {
    Map<String, Long> byChannel = new TreeMap<>();
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(config.deliveryUrl() + "/metrics"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = SENT.matcher(metrics);
      while (m.find()) {
        byChannel.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    } catch (Exception e) {
      // delivery not up (delivery.enabled=false): the line shows nothing sent
    }
    return byChannel;
  }
}
