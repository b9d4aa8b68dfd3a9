package dev.engage.api.receipts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.customers.CustomerIds;
import dev.engage.api.http.FieldErrors;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A provider's delivery report, checked and turned into an Avro {@link Response}:
 *
 * <pre>
 * {"notificationId": "n-1", "customerId": "cust-42", "status": "delivered",
 *  "providerMessageId": "SM123", "reason": "...", "occurredAt": "2026-11-23T10:15:30Z"}
 * </pre>
 *
 * <p>{@code status} is one of delivered, bounced, failed, opened, clicked; the channel is the
 * provider's. The eventId is derived from provider, notificationId and status, so a provider
 * sending the same report again (they retry until they see a 2xx) gives the same event, which
 * consumers of {@code responses} drop as a repeat.
 */
final class ReceiptBody {
  private static final Set<String> FIELDS =
      Set.of("notificationId", "customerId", "status", "providerMessageId", "reason", "occurredAt");
  private static final Map<String, ResponseType> STATUSES =
      Map.of(
          "delivered", ResponseType.DELIVERED,
          "bounced", ResponseType.BOUNCED,
          "failed", ResponseType.FAILED,
          "opened", ResponseType.OPENED,
          "clicked", ResponseType.CLICKED);

  /** Providers' clocks are not ours; their reports may be a little ahead. */
  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private ReceiptBody() {}

  static Response read(ObjectNode body, ReceiptProviders.Provider provider, Instant now) {
    FieldErrors fields = new FieldErrors(body, FIELDS);
    String notificationId =
        fields.text("notificationId", true, ReceiptBody::shortText, "1 to 200 characters");
    String customerId = fields.text("customerId", true, CustomerIds::isValid, CustomerIds.RULE);
    String status =
        fields.text(
            "status",
            true,
            s -> STATUSES.containsKey(s.toLowerCase(Locale.ROOT)),
            "must be one of delivered, bounced, failed, opened, clicked");
    String providerMessageId =
        fields.text("providerMessageId", false, ReceiptBody::shortText, "1 to 200 characters");
    String reason =
        fields.text("reason", false, r -> r.length() <= 1000, "at most 1000 characters");
    Instant occurredAt = fields.pastInstant("occurredAt", now, MAX_CLOCK_SKEW);
    fields.throwIfAny();
    String type = status.toLowerCase(Locale.ROOT);
    return Response.newBuilder()
        .setEventId(eventId(provider.name(), notificationId, type))
        .setCustomerId(customerId)
        .setType(STATUSES.get(type))
        .setNotificationId(notificationId)
        .setChannel(provider.channel())
        .setProvider(provider.name())
        .setProviderMessageId(providerMessageId)
        .setReason(reason)
        .setOccurredAt(occurredAt)
        .setReceivedAt(now)
        .build();
  }

  static String eventId(String provider, String notificationId, String status) {
    String name = "receipt\n" + provider + "\n" + notificationId + "\n" + status;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static boolean shortText(String text) {
    return !text.isBlank() && text.length() <= 200;
  }
}
