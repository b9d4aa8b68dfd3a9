package dev.engage.delivery.dispatch;

import dev.engage.avro.Cause;
import dev.engage.avro.Notification;
import dev.engage.avro.NotificationDeadLetter;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.delivery.store.OutboxRecord;
import dev.engage.schemas.topics.TopicCatalog;
import java.time.Instant;
import java.util.Locale;

/**
 * Builds the records delivery reports to Kafka, serialized for their topics: a {@code Response} per
 * outcome, whose eventId is the notificationId and the type (a relay that writes it twice writes
 * the same event), and a dead letter when delivery gives up.
 */
public final class Responses {
  private final TopicCatalog topics;

  public Responses(TopicCatalog topics) {
    this.topics = topics;
  }

  /**
   * Registers both schemas now: otherwise the first outcome after a start waits for the registry
   * inside the window between a provider's acceptance and the ledger, where a crash means a repeat.
   */
  public void warmUp() {
    Notification probe =
        Notification.newBuilder()
            .setNotificationId("warm-up")
            .setCustomerId("warm-up")
            .setChannel("in_app")
            .setTemplate("")
            .setBody("")
            .setRuleId("")
            .setRuleVersion(0)
            .setCreatedAt(Instant.EPOCH)
            .setCause(new Cause("warm-up", null, Instant.EPOCH))
            .build();
    response(probe, ResponseType.UNKNOWN, null, null, null, Instant.EPOCH);
    deadLetter(probe, null, "", 0, Instant.EPOCH);
  }

  public OutboxRecord response(
      Notification n,
      ResponseType type,
      String provider,
      String providerMessageId,
      String reason,
      Instant at) {
    Response response =
        Response.newBuilder()
            .setEventId(n.getNotificationId() + ":" + type.name().toLowerCase(Locale.ROOT))
            .setCustomerId(n.getCustomerId())
            .setType(type)
            .setActionId(n.getActionId())
            .setNotificationId(n.getNotificationId())
            .setChannel(n.getChannel())
            .setProvider(provider)
            .setProviderMessageId(providerMessageId)
            .setReason(reason)
            .setOccurredAt(at)
            .setReceivedAt(at)
            .build();
    var topic = topics.responses();
    return new OutboxRecord(
        topic.id(),
        n.getCustomerId(),
        topic.valueSerde().serializer().serialize(topic.name(), response));
  }

  public OutboxRecord deadLetter(
      Notification n, String provider, String reason, int attempts, Instant at) {
    NotificationDeadLetter letter =
        NotificationDeadLetter.newBuilder()
            .setNotification(n)
            .setProvider(provider)
            .setReason(reason)
            .setAttempts(attempts)
            .setFailedAt(at)
            .build();
    var topic = topics.notificationsDlq();
    return new OutboxRecord(
        topic.id(),
        n.getCustomerId(),
        topic.valueSerde().serializer().serialize(topic.name(), letter));
  }
}
