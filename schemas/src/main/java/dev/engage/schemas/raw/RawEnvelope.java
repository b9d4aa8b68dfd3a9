package dev.engage.schemas.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Touchpoint;
import dev.engage.schemas.json.AvroToJson;
import dev.engage.schemas.json.InvalidJsonException;
import dev.engage.schemas.json.JsonToAvro;
import dev.engage.schemas.time.IsoInstants;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A value of {@code touchpoints.raw}: the event exactly as a collector received it, wrapped with
 * what the collector knows (which kind of input, the source it came from, that source's default
 * channel and when it arrived).
 *
 * <p>{@code touchpoints.raw} is the one way onto {@code touchpoints}: what Engage derives itself (a
 * flight disruption per passenger, a preference change through the API) comes this way too, as an
 * envelope of kind {@value #TOUCHPOINT}, so the normalizer gives it the same guarantees as a
 * collected event (a repeated eventId dropped, the customer resolved, exactly once onwards).
 *
 * @param kind {@code segment}, {@code call_center} or {@code pos} from a collector; {@value
 *     #TOUCHPOINT} for a touchpoint Engage derived, its event the touchpoint as plain JSON
 */
public record RawEnvelope(
    String kind, String source, String channel, Instant receivedAt, JsonNode event) {
  /** The kind of an envelope holding a touchpoint Engage derived itself. */
  public static final String TOUCHPOINT = "touchpoint";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The envelope of a touchpoint Engage derived itself (see {@link #TOUCHPOINT}). */
  public static RawEnvelope of(Touchpoint touchpoint) {
    return new RawEnvelope(
        TOUCHPOINT,
        touchpoint.getSource(),
        touchpoint.getChannel(),
        touchpoint.getReceivedAt(),
        AvroToJson.write(touchpoint));
  }

  public boolean isTouchpoint() {
    return TOUCHPOINT.equals(kind);
  }

  /**
   * The touchpoint an envelope of kind {@value #TOUCHPOINT} holds; {@link InvalidInputException}
   * with the reason when it holds none.
   */
  public Touchpoint touchpoint() {
    if (!isTouchpoint()) {
      throw new InvalidInputException("a '" + kind + "' envelope holds no touchpoint");
    }
    try {
      return JsonToAvro.read(event, Touchpoint.class);
    } catch (InvalidJsonException e) {
      throw new InvalidInputException("not a touchpoint: " + e.getMessage());
    }
  }

  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(tree());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write raw envelope", e);
    }
  }

  /**
   * How many bytes of {@link #toBytes} are the envelope's own (everything but the event's JSON):
   * the same for every event of one kind, source, channel and time, so a collector measures each
   * event from its envelope's bytes instead of serializing it twice.
   */
  public int bytesAroundEvent() {
    RawEnvelope empty = new RawEnvelope(kind, source, channel, receivedAt, NullNode.getInstance());
    return empty.toBytes().length - "null".length();
  }

  /** The envelope as the text a {@code touchpoints.raw} record holds. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(tree());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write raw envelope", e);
    }
  }

  private ObjectNode tree() {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", kind)
        .put("source", source)
        .put("channel", channel)
        .put("receivedAt", receivedAt.toString())
        .set("event", event);
    return root;
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
      return IsoInstants.parse(text(root, "receivedAt"));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("envelope 'receivedAt' is not an ISO-8601 instant");
    }
  }
}
