package dev.engage.api.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.auth.ApiKey;
import dev.engage.api.auth.Role;
import dev.engage.api.http.FieldErrors;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The body of {@code POST /v1/customers/{id}/responses}, checked and turned into an Avro {@link
 * Response}. People (agents, apps) accept, dismiss, open or click; delivery outcomes (delivered,
 * bounced, failed) come from services only. An agent's response records the agent's key name.
 */
final class ResponseBody {
  static final Set<String> FIELDS =
      Set.of(
          "type",
          "actionId",
          "notificationId",
          "optionId",
          "channel",
          "reason",
          "occurredAt",
          "eventId");
  private static final Set<ResponseType> BY_PEOPLE =
      Set.of(
          ResponseType.ACCEPTED, ResponseType.DISMISSED, ResponseType.OPENED, ResponseType.CLICKED);
  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private ResponseBody() {}

  static Response read(ObjectNode body, String customerId, ApiKey caller, Instant now) {
    FieldErrors fields = new FieldErrors(body, FIELDS);
    ResponseType type = type(fields, caller);
    String actionId =
        fields.text("actionId", false, ResponseBody::shortText, "at most 200 characters");
    String notificationId =
        fields.text("notificationId", false, ResponseBody::shortText, "at most 200 characters");
    if (actionId == null
        && notificationId == null
        && !fields.has("actionId")
        && !fields.has("notificationId")) {
      fields.add("actionId", "actionId or notificationId is required");
    }
    String optionId =
        fields.text("optionId", false, ResponseBody::shortText, "at most 200 characters");
    String channel =
        fields.text(
            "channel",
            false,
            c -> c.matches("[a-z][a-z_]{0,31}"),
            "must be snake_case, like in_app");
    String reason =
        fields.text("reason", false, r -> r.length() <= 1000, "at most 1000 characters");
    String eventId =
        fields.text(
            "eventId",
            false,
            e -> e.matches("[A-Za-z0-9._:-]{1,128}"),
            "1 to 128 letters, digits, '.', '_', ':' or '-'");
    Instant occurredAt = fields.pastInstant("occurredAt", now, MAX_CLOCK_SKEW);
    fields.throwIfAny();
    return Response.newBuilder()
        .setEventId(eventId != null ? eventId : UUID.randomUUID().toString())
        .setCustomerId(customerId)
        .setType(type)
        .setActionId(actionId)
        .setNotificationId(notificationId)
        .setOptionId(optionId)
        .setChannel(channel)
        .setAgentId(caller.role() == Role.AGENT ? caller.name() : null)
        .setReason(reason)
        .setOccurredAt(occurredAt)
        .setReceivedAt(now)
        .build();
  }

  private static ResponseType type(FieldErrors fields, ApiKey caller) {
    String text = fields.text("type", true);
    if (text == null) {
      return null;
    }
    ResponseType type;
    try {
      type = ResponseType.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      type = null;
    }
    boolean service = caller.role() == Role.SERVICE || caller.role() == Role.ADMIN;
    if (type == null || type == ResponseType.UNKNOWN || (!service && !BY_PEOPLE.contains(type))) {
      fields.add(
          "type",
          "must be one of accepted, dismissed, opened, clicked"
              + (service ? ", delivered, bounced, failed" : "")
              + " (was '"
              + text
              + "')");
      return null;
    }
    return type;
  }

  private static boolean shortText(String text) {
    return !text.isBlank() && text.length() <= 200;
  }
}
