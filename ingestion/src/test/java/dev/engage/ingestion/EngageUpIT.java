package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code engage up} with the ingestion service as its own process (from this module's build): an
 * event posted to the collector with a generated write key comes out as a touchpoint.
 */
class EngageUpIT {
  private final StackConfig config = SharedStack.freshConfig("up-ingestion");
  private final StackCli cli =
      new StackCli(
          config,
          "jobs.enabled=false",
          "delivery.enabled=false",
          "api.enabled=false",
          "ingestion.enabled=true",
          "ingestion.port=" + config.ingestionPort());

  @AfterEach
  void down() {
    cli.run("down");
  }

  @Test
  void upStartsTheCollectorAndAPostedEventBecomesATouchpoint() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());

    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
    assertThat(cli.output())
        .containsPattern("ingestion +ready in")
        .contains("Collector        " + config.collectorUrl());

    String sources =
        Files.readString(config.dataDir().resolve("ingestion").resolve("ingestion.yaml"));
    Matcher website = Pattern.compile("name: website, writeKey: (wk_[0-9a-f]+)").matcher(sources);
    assertThat(website.find()).as(sources).isTrue();
    String auth =
        Base64.getEncoder()
            .encodeToString((website.group(1) + ":").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(config.collectorUrl() + "/v1/track"))
                    .header("Authorization", "Basic " + auth)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"userId\":\"up-it\",\"event\":\"Signed Up\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

    assertThat(touchpointKeys()).contains("up-it");
  }

  private List<String> touchpointKeys() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("touchpoints").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!keys.contains("up-it") && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }
}
