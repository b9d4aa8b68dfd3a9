package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.Notification;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
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
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage up} starts delivery and the local mailbox as their own processes: a fresh stack
 * delivers on every channel, and the mailbox page shows what each customer was sent.
 */
class EngageUpDeliveryIT {
  private final StackConfig config = SharedStack.freshConfig("up-delivery");
  private final StackCli cli =
      new StackCli(
          config,
          "jobs.enabled=false",
          "ingestion.enabled=true",
          "ingestion.port=" + config.ingestionPort(),
          "api.enabled=false",
          "delivery.enabled=true",
          "delivery.port=" + config.deliveryPort(),
          "mail.smtp-port=" + config.mailSmtpPort(),
          "mail.web-port=" + config.mailWebPort());
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void down() {
    cli.run("down");
  }

  @Test
  void upDeliversToTheAddressesIngestionFoundAndNothingOnceTheCustomerIsErased() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
    assertThat(cli.output())
        .containsPattern("mailbox +ready in")
        .containsPattern("delivery +ready in")
        .contains("Mailbox          " + config.mailboxUrl());

    try (DeliveryFixture fixture = new DeliveryFixture(config, "up-delivery");
        JedisPooled redis = new JedisPooled("127.0.0.1", config.redisPort())) {
      String ivy = DeliveryFixture.newId("ivy");
      identify(ivy, ivy + "@example.com", "+49 151 99999999");
      awaitContacts(ivy, true);
      Notification email = DeliveryFixture.notification(ivy, "email");
      Notification sms = DeliveryFixture.notification(ivy, "sms");
      Notification inApp = DeliveryFixture.notification(ivy, "in_app");
      for (Notification n : new Notification[] {email, sms, inApp}) {
        fixture.publish(n);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> mailbox().path("email").size() == 1 && mailbox().path("sms").size() == 1);
      JsonNode messages = mailbox();
      assertThat(messages.path("email").get(0).path("to").asText()).isEqualTo(ivy + "@example.com");
      assertThat(messages.path("email").get(0).path("messageId").asText())
          .isEqualTo("<" + email.getNotificationId() + "@engage>");
      assertThat(messages.path("sms").get(0).path("to").asText()).isEqualTo("+4915199999999");
      assertThat(messages.path("sms").get(0).path("notificationId").asText())
          .isEqualTo(sms.getNotificationId());
      await().atMost(Duration.ofSeconds(30)).until(() -> redis.llen(RedisKeys.inbox(ivy)) == 1);

      String page = get(config.mailboxUrl() + "/");
      assertThat(page).contains("Engage local mailbox", ivy + "@example.com", "+4915199999999");
      assertThat(get(config.deliveryUrl() + "/metrics"))
          .containsPattern(
              "engage_delivery_sent_total\\{channel=\"email\",provider=\"local-smtp\"\\} 1");
    }
    assertThat(cli.run("status")).as(cli.output()).isZero();
    assertThat(cli.output()).contains("delivery", "mailbox");
  }

  /** An identify through the collector, as a website would send it, with the customer's traits. */
  private void identify(String customer, String email, String phone) throws Exception {
    String sources =
        Files.readString(config.dataDir().resolve("ingestion").resolve("ingestion.yaml"));
    Matcher website = Pattern.compile("name: website, writeKey: (wk_[0-9a-f]+)").matcher(sources);
    assertThat(website.find()).as(sources).isTrue();
    ObjectNode body = new ObjectMapper().createObjectNode().put("userId", customer);
    ObjectNode traits = body.putObject("traits").put("email", email);
    if (phone != null) {
      traits.put("phone", phone);
    }
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(config.collectorUrl() + "/v1/identify"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (website.group(1) + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /**
   * Waits until contacts holds the customer, or with {@code present} false a tombstone for them.
   */
  private void awaitContacts(String customer, boolean present) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              List<ContactPoints> versions = contactVersions(customer);
              return !versions.isEmpty() && (versions.get(versions.size() - 1) != null) == present;
            });
  }

  /** Every record of the customer on contacts, oldest first; null for a tombstone. */
  private List<ContactPoints> contactVersions(String customer) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    var topic =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()))
            .contacts();
    List<ContactPoints> versions = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(customer)) {
            versions.add(
                r.value() == null
                    ? null
                    : topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
          }
        }
      }
    }
    return versions;
  }

  private JsonNode mailbox() throws Exception {
    return new ObjectMapper().readTree(get(config.mailboxUrl() + "/messages.json"));
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
