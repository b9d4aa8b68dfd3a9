package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engage.avro.Notification;
import dev.engage.avro.NotificationDeadLetter;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.delivery.channel.EmailComposer;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * Delivery on real parts: the shared broker, registry and redis-server, GreenMail for SMTP and a
 * real HTTP receiver for the SMS and push providers.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private DeliveryFixture fixture;
  private DeliveryService delivery;
  private JedisPooled redis;

  @BeforeAll
  void start(StackConfig stack) throws Exception {
    fixture = new DeliveryFixture(stack, "delivery-it");
    delivery = DeliveryService.start(fixture.settings());
    redis = new JedisPooled("127.0.0.1", stack.redisPort());
  }

  @AfterAll
  void stop() {
    delivery.close();
    fixture.close();
    redis.close();
  }

  @Test
  void eachChannelArrivesOnceAtTheAddressFromContactsAndReportsDelivered() throws Exception {
    String ann = DeliveryFixture.newId("ann");
    fixture.send(
        fixture.topics.contacts(),
        ann,
        DeliveryFixture.contacts(ann, ann + "@example.com", "+4915112345678", "device-" + ann));
    List<Notification> sent =
        Stream.of("email", "sms", "push", "in_app")
            .map(channel -> DeliveryFixture.notification(ann, channel))
            .toList();
    for (Notification n : sent) {
      fixture.publish(n);
    }

    List<Response> responses =
        fixture.read(
            fixture.topics.responses(),
            r -> r.getCustomerId().equals(ann) && r.getType() == ResponseType.DELIVERED,
            4,
            WAIT);
    assertThat(responses)
        .extracting(Response::getChannel)
        .containsExactlyInAnyOrder("email", "sms", "push", "in_app");
    assertThat(responses).allSatisfy(r -> assertThat(r.getProviderMessageId()).isNotBlank());

    MimeMessage mail = onlyMailTo(ann + "@example.com");
    assertThat(mail.getMessageID()).isEqualTo(EmailComposer.messageId(sent.get(0)));
    assertThat(mail.getSubject()).isEqualTo("Your flight LH400 is delayed");
    assertThat(mail.getHeader("List-Unsubscribe")[0])
        .startsWith("<http://localhost:8080/v1/unsubscribe?token=");
    assertThat(mail.getHeader("List-Unsubscribe-Post"))
        .containsExactly("List-Unsubscribe=One-Click");
    assertThat(mail.getContentType()).startsWith("multipart/alternative");

    var sms = requestsFor(sent.get(1));
    assertThat(sms).hasSize(1);
    assertThat(sms.get(0).path()).isEqualTo("/sms");
    assertThat(sms.get(0).signatureValid()).isTrue();
    assertThat(sms.get(0).webhookId()).isEqualTo(sent.get(1).getNotificationId());
    assertThat(sms.get(0).body().path("to").asText()).isEqualTo("+4915112345678");
    assertThat(sms.get(0).body().path("options").findValuesAsText("optionId"))
        .containsExactly("LH402", "LH406");
    var push = requestsFor(sent.get(2));
    assertThat(push)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/push");
              assertThat(r.body().path("to").asText()).isEqualTo("device-" + ann);
            });

    List<String> inbox = redis.lrange(RedisKeys.inbox(ann), 0, -1);
    assertThat(inbox)
        .singleElement()
        .asString()
        .contains(sent.get(3).getNotificationId(), "\"read\":false");
  }

  @Test
  void anOpenedResponseMarksTheInboxItemRead() throws Exception {
    String jo = DeliveryFixture.newId("jo");
    Notification n = DeliveryFixture.notification(jo, "in_app");
    fixture.publish(n);
    await().atMost(WAIT).until(() -> redis.llen(RedisKeys.inbox(jo)) == 1);

    Instant now = Instant.now();
    fixture.send(
        fixture.topics.responses(),
        jo,
        Response.newBuilder()
            .setEventId(DeliveryFixture.newId("opened"))
            .setCustomerId(jo)
            .setType(ResponseType.OPENED)
            .setNotificationId(n.getNotificationId())
            .setChannel("in_app")
            .setOccurredAt(now)
            .setReceivedAt(now)
            .build());

    await()
        .atMost(WAIT)
        .until(() -> redis.lindex(RedisKeys.inbox(jo), 0).contains("\"read\":true"));
  }

  @Test
  void aProviderAnswering503For30SecondsGetsEveryMessageOnceAfterRetriesWhileOthersFlow()
      throws Exception {
    String bo = DeliveryFixture.newId("bo");
    fixture.send(
        fixture.topics.contacts(), bo, DeliveryFixture.contacts(bo, null, "+4917000000001", null));
    Instant healthyFrom = Instant.now().plusSeconds(30);
    fixture.receiver.answer(
        body ->
            body.path("customerId").asText().equals(bo) && Instant.now().isBefore(healthyFrom)
                ? 503
                : 200);
    List<Notification> sent =
        Stream.generate(() -> DeliveryFixture.notification(bo, "sms")).limit(5).toList();
    for (Notification n : sent) {
      fixture.publish(n);
    }
    // the SMS provider's outage holds up nothing but its own queue
    String cal = DeliveryFixture.newId("cal");
    fixture.send(
        fixture.topics.contacts(),
        cal,
        DeliveryFixture.contacts(cal, cal + "@example.com", null, "device-" + cal));
    Notification push = DeliveryFixture.notification(cal, "push");
    fixture.publish(push);
    fixture.publish(DeliveryFixture.notification(cal, "email"));
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered(push) == 1);
    onlyMailTo(cal + "@example.com");
    assertThat(Instant.now()).isBefore(healthyFrom);

    await()
        .atMost(Duration.ofSeconds(75))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> sent.stream().allMatch(n -> delivered(n) == 1));

    for (Notification n : sent) {
      var tries = requestsFor(n);
      assertThat(tries).as("tries of %s", n.getNotificationId()).hasSizeGreaterThan(1);
      assertThat(tries.stream().filter(r -> r.answered() == 503))
          .allSatisfy(r -> assertThat(r.at()).isBefore(healthyFrom));
      assertThat(delivered(n)).isEqualTo(1);
      assertThat(tries.get(tries.size() - 1).at()).isAfterOrEqualTo(healthyFrom.minusMillis(50));
    }
    fixture.receiver.answer(body -> 200);
  }

  @Test
  void aPermanentRefusalGoesToTheDeadLetterTopicWithAFailedResponse() throws Exception {
    String cy = DeliveryFixture.newId("cy");
    fixture.send(
        fixture.topics.contacts(), cy, DeliveryFixture.contacts(cy, null, null, "revoked-token"));
    fixture.receiver.answer(body -> body.path("to").asText().equals("revoked-token") ? 410 : 200);
    Notification n = DeliveryFixture.notification(cy, "push");
    fixture.publish(n);

    List<NotificationDeadLetter> letters =
        fixture.read(
            fixture.topics.notificationsDlq(),
            d -> d.getNotification().getNotificationId().equals(n.getNotificationId()),
            1,
            WAIT);
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).contains("410");
              assertThat(d.getProvider()).isEqualTo("test-push");
              assertThat(d.getAttempts()).isEqualTo(1);
            });
    assertThat(failedResponse(n).getReason()).contains("test-push answered 410");
    assertThat(requestsFor(n)).hasSize(1);
    fixture.receiver.answer(body -> 200);
  }

  @Test
  void aNotificationIsNotSentBeforeItsNotBefore() throws Exception {
    String di = DeliveryFixture.newId("di");
    fixture.send(
        fixture.topics.contacts(), di, DeliveryFixture.contacts(di, null, "+4917000000002", null));
    Instant notBefore = Instant.now().plusSeconds(10);
    Notification n = DeliveryFixture.notification(di, "sms");
    n.setNotBefore(notBefore);
    fixture.publish(n);

    await().atMost(WAIT).until(() -> delivered(n) == 1);
    assertThat(requestsFor(n).get(0).at()).isAfterOrEqualTo(notBefore);
  }

  @Test
  void anAddressChangedAfterTheNotificationWasQueuedIsTheOneUsed() throws Exception {
    String ed = DeliveryFixture.newId("ed");
    fixture.send(
        fixture.topics.contacts(),
        ed,
        DeliveryFixture.contacts(ed, "old-" + ed + "@example.com", null, null));
    Notification n = DeliveryFixture.notification(ed, "email");
    n.setNotBefore(Instant.now().plusSeconds(4));
    fixture.publish(n);
    fixture.send(
        fixture.topics.contacts(),
        ed,
        DeliveryFixture.contacts(ed, "new-" + ed + "@example.com", null, null));

    await().atMost(WAIT).until(() -> mailsTo("new-" + ed + "@example.com").size() == 1);
    assertThat(mailsTo("old-" + ed + "@example.com")).isEmpty();
  }

  @Test
  void anErasedCustomerGetsNothingAndAFailedResponseSaysWhy() throws Exception {
    String fa = DeliveryFixture.newId("fa");
    fixture.send(
        fixture.topics.contacts(),
        fa,
        DeliveryFixture.contacts(fa, fa + "@example.com", null, null));
    Notification n = DeliveryFixture.notification(fa, "email");
    n.setNotBefore(Instant.now().plusSeconds(4));
    fixture.publish(n);
    fixture.send(fixture.topics.contacts(), fa, null); // ingestion's tombstone on erasure

    assertThat(failedResponse(n).getReason())
        .isEqualTo("no email address on file for the customer");
    assertThat(mailsTo(fa + "@example.com")).isEmpty();
  }

  @Test
  void anExpiredNotificationIsNotSent() throws Exception {
    String gu = DeliveryFixture.newId("gu");
    fixture.send(
        fixture.topics.contacts(), gu, DeliveryFixture.contacts(gu, null, "+4917000000003", null));
    Notification n = DeliveryFixture.notification(gu, "sms");
    n.setExpiresAt(Instant.now().minusSeconds(60));
    fixture.publish(n);

    assertThat(failedResponse(n).getReason()).startsWith("expired at");
    assertThat(requestsFor(n)).isEmpty();
  }

  @Test
  void aChannelWithoutAProviderIsReportedFailed() throws Exception {
    Notification n = DeliveryFixture.notification(DeliveryFixture.newId("ha"), "fax");
    fixture.publish(n);

    assertThat(failedResponse(n).getReason())
        .isEqualTo("no provider is configured for channel 'fax'");
  }

  private Response failedResponse(Notification n) {
    List<Response> failed =
        fixture.read(
            fixture.topics.responses(),
            r ->
                n.getNotificationId().equals(r.getNotificationId())
                    && r.getType() == ResponseType.FAILED,
            1,
            WAIT);
    assertThat(failed).as("failed response of %s", n.getNotificationId()).hasSize(1);
    return failed.get(0);
  }

  private List<WebhookReceiver.Request> requestsFor(Notification n) {
    return fixture.receiver.requests().stream()
        .filter(r -> n.getNotificationId().equals(r.webhookId()))
        .toList();
  }

  private long delivered(Notification n) {
    return fixture.receiver.delivered().stream()
        .filter(r -> n.getNotificationId().equals(r.webhookId()))
        .count();
  }

  private MimeMessage onlyMailTo(String address) {
    await().atMost(WAIT).until(() -> !mailsTo(address).isEmpty());
    List<MimeMessage> mails = mailsTo(address);
    assertThat(mails).hasSize(1);
    return mails.get(0);
  }

  private List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(fixture.mail.getReceivedMessages())
        .filter(
            m -> {
              try {
                return Arrays.stream(m.getAllRecipients())
                    .anyMatch(a -> a.toString().equals(address));
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }
}
