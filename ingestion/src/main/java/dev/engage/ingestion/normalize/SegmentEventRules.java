package dev.engage.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.schemas.time.IsoInstants;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What makes a Segment Tracking API event acceptable, checked the same way by the collector (to
 * answer 400) and by the normalizer (to route to the DLQ).
 */
public final class SegmentEventRules {
  public static final Set<String> TYPES =
      Set.of("track", "identify", "page", "screen", "alias", "group");

  private SegmentEventRules() {}

  /** Every problem of the event, in words a developer can act on; empty when it is fine. */
  public static List<String> problems(JsonNode event) {
    List<String> problems = new ArrayList<>();
    if (!event.isObject()) {
      problems.add("an event must be a JSON object");
      return problems;
    }
    String type = event.path("type").asText("");
    if (!TYPES.contains(type)) {
      problems.add(
          type.isEmpty()
              ? "'type' is missing; expected one of " + TYPES
              : "unknown type '" + type + "'; expected one of " + TYPES);
    }
    if (text(event, "userId").isEmpty() && text(event, "anonymousId").isEmpty()) {
      problems.add("'userId' or 'anonymousId' is required");
    }
    if (type.equals("track") && text(event, "event").isEmpty()) {
      problems.add("a track event needs 'event' (its name)");
    }
    if (type.equals("alias")
        && (text(event, "previousId").isEmpty() || text(event, "userId").isEmpty())) {
      problems.add("an alias event needs 'previousId' and 'userId'");
    }
    for (String field : List.of("timestamp", "sentAt", "originalTimestamp")) {
      if (!text(event, field).isEmpty() && parseTime(text(event, field)) == null) {
        problems.add("'" + field + "' is not an ISO-8601 date-time: '" + text(event, field) + "'");
      }
    }
    for (String field : List.of("properties", "traits", "context")) {
      JsonNode value = event.path(field);
      if (!value.isMissingNode() && !value.isNull() && !value.isObject()) {
        problems.add("'" + field + "' must be an object");
      }
    }
    return problems;
  }

  /** A field as text: strings as they are, numbers written out, anything else empty. */
  public static String text(JsonNode event, String field) {
    JsonNode value = event.path(field);
    return value.isTextual() || value.isNumber() ? value.asText().trim() : "";
  }

  /** An ISO-8601 date-time with offset ("2026-11-23T10:00:00Z", "...+01:00"), or null. */
  public static Instant parseTime(String text) {
    try {
      return IsoInstants.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
