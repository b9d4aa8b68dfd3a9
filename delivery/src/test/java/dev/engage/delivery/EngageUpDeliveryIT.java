package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Notification;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.schemas.redis.RedisKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
          "ingestion.enabled=false",
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
  void upDeliversEmailSmsAndInAppToTheLocalMailboxAndInbox() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
    assertThat(cli.output())
        .containsPattern("mailbox +ready in")
        .containsPattern("delivery +ready in")
        .contains("Mailbox          " + config.mailboxUrl());

    try (DeliveryFixture fixture = new DeliveryFixture(config, "up-delivery");
        JedisPooled redis = new JedisPooled("127.0.0.1", config.redisPort())) {
      String ivy = DeliveryFixture.newId("ivy");
      fixture.send(
          fixture.topics.contacts(),
          ivy,
          DeliveryFixture.contacts(ivy, ivy + "@example.com", "+4915199999999", null));
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

  private JsonNode mailbox() throws Exception {
    return new ObjectMapper().readTree(get(config.mailboxUrl() + "/messages.json"));
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
