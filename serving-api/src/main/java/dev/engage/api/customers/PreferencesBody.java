package dev.engage.api.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.http.FieldErrors;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The body of {@code PUT /v1/customers/{id}/preferences}, checked and turned into the {@code
 * preferences_updated} touchpoint the profile job folds into the profile's declared preferences.
 * Its attributes are named like the {@link Preferences} fields. The fields given are set; a field
 * given as {@code null} is cleared (consents: withdrawn); fields left out keep their value.
 */
final class PreferencesBody {
  static final String EVENT_TYPE = "preferences_updated";
  static final Set<String> CHANNELS = Set.of("email", "sms", "push", "in_app");
  private static final Map<String, String> CONSENT_BY_CHANNEL =
      Map.of("email", "consentEmail", "sms", "consentSms", "push", "consentPush");
  private static final Set<String> CONSENTS = Set.copyOf(CONSENT_BY_CHANNEL.values());
  private static final Set<String> FIELDS =
      Preferences.getClassSchema().getFields().stream()
          .map(f -> f.name())
          .collect(Collectors.toUnmodifiableSet());

  private PreferencesBody() {}

  /**
   * The consent field of a channel ({@code consentEmail} for email...); empty for a channel without
   * consent (in_app).
   */
  static Optional<String> consentOf(String channel) {
    return Optional.ofNullable(CONSENT_BY_CHANNEL.get(channel));
  }

  /**
   * @param channel the channel the change came through (app, call_center, email...)
   * @param source who made it ({@code api:<key name>}, {@code api:unsubscribe})
   */
  static Touchpoint read(
      ObjectNode body, String customerId, String channel, String source, Instant now) {
    FieldErrors fields = new FieldErrors(body, FIELDS);
    if (body.isEmpty()) {
      fields.add("(body)", "give at least one of " + String.join(", ", sorted()));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String field : sorted()) {
      if (!body.has(field)) {
        continue;
      }
      JsonNode node = body.get(field);
      String value = CONSENTS.contains(field) ? consent(fields, field) : text(fields, field);
      if (node.isNull() || value != null) {
        attributes.put(field, value == null ? (CONSENTS.contains(field) ? "false" : "") : value);
      }
    }
    fields.throwIfAny();
    return Touchpoint.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setCustomerId(customerId)
        .setType(EVENT_TYPE)
        .setChannel(channel)
        .setSource(source)
        .setOccurredAt(now)
        .setReceivedAt(now)
        .setAttributes(attributes)
        .build();
  }

  private static String consent(FieldErrors fields, String field) {
    Boolean value = fields.bool(field);
    return value == null ? null : value.toString();
  }

  private static String text(FieldErrors fields, String field) {
    return switch (field) {
      case "preferredChannel" ->
          fields.text(field, false, CHANNELS::contains, "must be one of email, sms, push, in_app");
      case "quietHoursStart", "quietHoursEnd" ->
          fields.text(field, false, PreferencesBody::isTimeOfDay, "must be a local time HH:mm");
      case "timeZone" ->
          fields.text(
              field,
              false,
              PreferencesBody::isZone,
              "must be an IANA time zone like Europe/Berlin");
      default ->
          fields.text(field, false, t -> !t.isBlank() && t.length() <= 100, "1 to 100 characters");
    };
  }

  private static List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }

  private static boolean isTimeOfDay(String text) {
    try {
      return text.length() == 5 && LocalTime.parse(text) != null;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isZone(String text) {
    try {
      return ZoneId.of(text) != null;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
