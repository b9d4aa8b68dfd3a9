package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engage.avro.Notification;
import dev.engage.avro.ResponseType;
import dev.engage.delivery.channel.EmailComposer;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once across crashes: delivery runs as its own process, which is killed with SIGKILL five
 * times at random moments while 2,000 notifications flow, and started again each time. Every
 * notification must then be held exactly once by GreenMail (which, like mail stores, drops a
 * repeated Message-ID) or by the webhook receiver (which drops a repeated Idempotency-Key), and
 * every repeat those dropped must come from a send the ledger held in doubt.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryCrashIT {
  private static final int NOTIFICATIONS = 2000;
  private static final int CUSTOMERS = 100;
  private static final int KILLS = 5;
  private DeliveryFixture fixture;
  private Path config;
  private Path secret;
  private int port;
  private Process delivery;

  @BeforeAll
  void start(StackConfig stack) throws Exception {
    fixture = new DeliveryFixture(stack, "delivery-crash");
    config = fixture.deliveryFile("");
    secret = fixture.unsubscribeSecret();
    port = SharedStack.freePort();
  }

  @AfterAll
  void stop() {
    if (delivery != null) {
      delivery.destroyForcibly();
    }
    fixture.close();
  }

  @Test
  void killedFiveTimesWhileNotificationsFlowEveryOneArrivesExactlyOnce() throws Exception {
    List<String> customers = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      String id = DeliveryFixture.newId("crash" + i);
      customers.add(id);
      fixture.send(
          fixture.topics.contacts(),
          id,
          DeliveryFixture.contacts(id, id + "@example.com", "+49170" + (1000000 + i), null));
    }
    delivery = startDelivery();
    awaitReady();

    Set<String> ids = ConcurrentHashMap.newKeySet();
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < NOTIFICATIONS; i++) {
                  Notification n =
                      DeliveryFixture.notification(
                          customers.get(i % CUSTOMERS), i % 2 == 0 ? "email" : "sms");
                  fixture.publish(n);
                  ids.add(n.getNotificationId());
                  Thread.sleep(10); // a steady stream of about 80 a second over the kills
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "steady-producer");
    producer.start();
    Random random = new Random();
    for (int kill = 0; kill < KILLS; kill++) {
      Thread.sleep(2000 + random.nextInt(2500));
      delivery.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
      delivery = startDelivery();
    }
    producer.join();
    assertThat(ids).hasSize(NOTIFICATIONS);

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> mailsById().size() + smsById().size() >= NOTIFICATIONS);

    Map<String, Long> mails = mailsById();
    Map<String, Long> sms = smsById();
    Set<String> arrived = new HashSet<>(mails.keySet());
    arrived.addAll(sms.keySet());
    long emailRepeats = fixture.mailRepeats.dropped();
    long webhookRepeats = fixture.receiver.requests().stream().filter(r -> r.repeat()).count();
    long inDoubt = inDoubtResends();
    System.out.printf(
        "crash test: %d notifications, %d kills, %d emails, %d SMS; %d sends in doubt after a"
            + " kill were repeated: %d emails dropped by the mailbox's Message-ID, %d webhooks"
            + " dropped by the receiver's Idempotency-Key%n",
        NOTIFICATIONS, KILLS, mails.size(), sms.size(), inDoubt, emailRepeats, webhookRepeats);
    assertThat(arrived).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(mails.size()).isEqualTo(NOTIFICATIONS / 2);
    assertThat(mails.values()).as("emails held per notificationId").containsOnly(1L);
    assertThat(sms.values()).as("SMS taken per notificationId").containsOnly(1L);
    // The one window delivery cannot close: a kill between a provider's acceptance and the
    // ledger. A repeat may only come from a send the ledger marked in doubt, and carries the same
    // Idempotency-Key (the receiver drops it, as providers do) or Message-ID (the mailbox drops
    // it, as mail stores do).
    assertThat(emailRepeats + webhookRepeats).isLessThanOrEqualTo(inDoubt);

    // the relay writes a response again when a kill fell between Kafka's ack and its clean-up:
    // the same eventId, which consumers drop; count each notification once
    Set<String> reported = new HashSet<>();
    fixture.read(
        fixture.topics.responses(),
        r ->
            ids.contains(r.getNotificationId())
                && r.getType() == ResponseType.DELIVERED
                && reported.add(r.getNotificationId()),
        NOTIFICATIONS,
        Duration.ofSeconds(60));
    assertThat(reported).hasSize(NOTIFICATIONS);
  }

  /** Sends the delivery processes logged as repeated after a crash left them in doubt. */
  private long inDoubtResends() throws java.io.IOException {
    return java.nio.file.Files.readAllLines(fixture.dir.resolve("delivery.log")).stream()
        .filter(line -> line.contains("was being sent when a process stopped"))
        .count();
  }

  private Map<String, Long> mailsById() {
    return java.util.Arrays.stream(fixture.mail.getReceivedMessages())
        .map(DeliveryCrashIT::notificationId)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private Map<String, Long> smsById() {
    return fixture.receiver.delivered().stream()
        .collect(Collectors.groupingBy(r -> r.webhookId(), Collectors.counting()));
  }

  private static String notificationId(MimeMessage message) {
    try {
      return message.getHeader(EmailComposer.NOTIFICATION_HEADER)[0];
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Process startDelivery() throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Dlog4j2.configurationFile="
                + Path.of("target", "classes", "log4j2.xml").toAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            DeliveryMain.class.getName(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--bootstrap-servers",
            fixture.stack.bootstrapServers(),
            "--registry-url",
            fixture.stack.registryUrl(),
            "--redis-uri",
            "redis://127.0.0.1:" + fixture.stack.redisPort(),
            "--config",
            config.toString(),
            "--unsubscribe-secret-file",
            secret.toString(),
            "--lease",
            "4s");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(fixture.dir.resolve("delivery.log").toFile()))
        .start();
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }
}
