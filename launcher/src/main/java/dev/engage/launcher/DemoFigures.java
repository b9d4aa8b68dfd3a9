package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The demo's progress line: events sent and their rate, then what the stack made of them, read from
 * where it lands: records on {@code touchpoints}, {@code triggers}, {@code actions} and {@code
 * notifications} (end offsets), and what delivery sent per channel (its metrics).
 */
final class DemoFigures implements AutoCloseable {
  private static final Pattern SENT =
      Pattern.compile(
          "engage_delivery_sent_total\\{channel=\"([a-z_]+)\",provider=\"[^\"]*\"\\} ([0-9.E]+)");
  private final StackConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Admin admin;

  DemoFigures(StackConfig config) {
    this.config = config;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    admin = Admin.create(props);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }

  String line(long sent, double seconds, int customers) {
    return String.format(
        "  %,9d events  %,6.0f/s  %,d customers | touchpoints %,d  triggers %,d  actions %,d"
            + "  notifications %,d  sent %s",
        sent,
        sent / Math.max(seconds, 1e-3),
        customers,
        records("touchpoints"),
        records("triggers"),
        records("actions"),
        records("notifications"),
        sentByChannel());
  }

  /**
   * Records written to the topic so far (the sum of its end offsets); -1 when Kafka does not say.
   */
  private long records(String topicId) {
    String topic = config.topics().names().getOrDefault(topicId, topicId);
    try {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(3, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(ends).all().get(3, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (Exception e) {
      return -1;
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
