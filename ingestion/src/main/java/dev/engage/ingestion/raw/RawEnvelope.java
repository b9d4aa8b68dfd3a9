package dev.engage.ingestion.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A value of {@code touchpoints.raw}: the event exactly as a collector received it, wrapped with
 * what the collector knows (which kind of input, the source it came from, that source's default
 * channel and when it arrived).
 *
 * @param kind {@code segment}, {@code call_center} or {@code pos}
 */
public record RawEnvelope(
    String kind, String source, String channel, Instant receivedAt, JsonNode event) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public byte[] toBytes() {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", kind)
        .put("source", source)
        .put("channel", channel)
        .put("receivedAt", receivedAt.toString())
        .set("event", event);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write raw envelope", e);
    }
  }

  /** Reads an envelope; throws {@link InvalidInputException} with the reason if it is not one. */
  public static RawEnvelope parse(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidInputException("empty record (null value)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidInputException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("not a JSON object");
    }
    JsonNode event = root.path("event");
    if (!event.isObject()) {
      throw new InvalidInputException("envelope has no 'event' object");
    }
    return new RawEnvelope(
        text(root, "kind"), text(root, "source"), text(root, "channel"), instant(root), event);
  }

  private static String text(JsonNode root, String field) {
    String value = root.path(field).asText("");
    if (value.isBlank()) {
      throw new InvalidInputException("envelope has no '" + field + "'");
    }
    return value;
  }

  private static Instant instant(JsonNode root) {
    try {
      return Instant.parse(text(root, "receivedAt"));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("envelope 'receivedAt' is not an ISO-8601 instant");
    }
  }
}
