package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engage.avro.Notification;
import dev.engage.delivery.config.DeliveryConfig;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A provider that is down hands its notifications to the fallback it names once its breaker opens.
 */
@ExtendWith(SharedStack.class)
class DeliveryFallbackIT {
  @Test
  void whileTheFirstSmsProviderIsDownItsFallbackSendsEverything(StackConfig stack)
      throws Exception {
    try (DeliveryFixture fixture = new DeliveryFixture(stack, "delivery-fallback")) {
      int closedPort = SharedStack.freePort(); // nothing listens there
      String yaml =
          """
          retry: {maxAttempts: 40, firstDelay: 200ms, maxDelay: 1s}
          breaker: {failures: 2, openFor: 60s}
          providers:
            - {name: sms-down, channel: sms, url: "http://127.0.0.1:%d/sms", secret: "%s", timeout: 1s, fallback: sms-up}
            - {name: sms-up, channel: sms, url: "%s", secret: "%s", timeout: 2s}
          """
              .formatted(
                  closedPort,
                  DeliveryFixture.SECRET,
                  fixture.receiver.url("/sms"),
                  DeliveryFixture.SECRET);
      var file = fixture.dir.resolve("fallback.yaml");
      Files.writeString(file, yaml);
      DeliverySettings base = fixture.settings();
      DeliverySettings settings =
          new DeliverySettings(
              base.host(),
              base.port(),
              base.bootstrapServers(),
              base.registryUrl(),
              base.redisUri(),
              DeliveryConfig.load(file),
              base.unsubscribeSecret(),
              base.ledgerTtl(),
              base.lease(),
              base.topics());
      String kim = DeliveryFixture.newId("kim");
      fixture.send(
          fixture.topics.contacts(),
          kim,
          DeliveryFixture.contacts(kim, null, "+4917011111111", null));
      List<Notification> sent =
          Stream.generate(() -> DeliveryFixture.notification(kim, "sms")).limit(6).toList();

      try (DeliveryService delivery = DeliveryService.start(settings)) {
        for (Notification n : sent) {
          fixture.publish(n);
        }
        await()
            .atMost(Duration.ofSeconds(45))
            .until(() -> fixture.receiver.delivered().size() == sent.size());
      }
      assertThat(fixture.receiver.delivered())
          .extracting(WebhookReceiver.Request::webhookId)
          .containsExactlyInAnyOrderElementsOf(
              sent.stream().map(Notification::getNotificationId).toList());
    }
  }
}
