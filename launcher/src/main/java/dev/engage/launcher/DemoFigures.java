package dev.engage.launcher;

import dev.engage.avro.Action;
import dev.engage.avro.Cause;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.TriggerFired;
import dev.engage.launcher.config.StackConfig;
import dev.engage.rules.decisions.DecisionIds;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
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
import org.HdrHistogram.Histogram;
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
 * transaction markers of the exactly-once topics), what delivery sent per channel (its metrics),
 * and the p99 from a touchpoint's arrival to the next-best-action it led to.
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
  private final TopicCatalog catalog;

  /** When the touchpoint that fired an event rule was received, by the action it proposes. */
  private final Map<String, Long> receivedByAction = new HashMap<>();

  private final Histogram endToEnd = new Histogram(3);
  private boolean assigned;

  DemoFigures(StackConfig config) {
    this.config = config;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-demo-figures");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    catalog = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
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
            + "  notifications %,d  sent %s | end to end %s",
        sent,
        sent / Math.max(seconds, 1e-3),
        customers,
        counts.get("touchpoints"),
        counts.get("triggers"),
        counts.get("actions"),
        counts.get("notifications"),
        sentByChannel(),
        endToEnd.getTotalCount() == 0
            ? "-"
            : String.format(
                "p50 %,d ms, p99 %,d ms (%d actions)",
                endToEnd.getValueAtPercentile(50),
                endToEnd.getValueAtPercentile(99),
                endToEnd.getTotalCount()));
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
          String id = idsByTopic.get(record.topic());
          counts.merge(id, 1L, Long::sum);
          if (record.value() != null && id.equals("triggers")) {
            noteFiring(
                catalog
                    .triggers()
                    .valueSerde()
                    .deserializer()
                    .deserialize(record.topic(), record.value()));
          } else if (record.value() != null && id.equals("actions")) {
            timeActions(
                catalog
                    .actions()
                    .valueSerde()
                    .deserializer()
                    .deserialize(record.topic(), record.value()));
          }
        }
      } while (!records.isEmpty() && System.nanoTime() < until);
    } catch (RuntimeException e) {
      // Kafka not answering: the line shows the last counts
    }
  }

  /**
   * End to end is timed for event rules only, from the touchpoint's arrival at the collector to the
   * decision that first lists its action: an absence or deadline rule waits by design.
   */
  private void noteFiring(TriggerFired fired) {
    if (fired.getRuleKind().equals("event") && !fired.getCauses().isEmpty()) {
      Cause cause = fired.getCauses().get(fired.getCauses().size() - 1);
      receivedByAction.put(
          DecisionIds.action(fired.getCustomerId(), fired.getEventId()),
          cause.getReceivedAt().toEpochMilli());
    }
  }

  private void timeActions(NextBestActions actions) {
    for (Action action : actions.getActions()) {
      Long received = receivedByAction.remove(action.getActionId());
      if (received != null) {
        endToEnd.recordValue(Math.max(0, actions.getDecidedAt().toEpochMilli() - received));
      }
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
