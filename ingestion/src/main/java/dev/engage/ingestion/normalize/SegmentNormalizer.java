package dev.engage.ingestion.normalize;

import static dev.engage.ingestion.normalize.SegmentEventRules.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.avro.LineItem;
import dev.engage.ingestion.contacts.ContactSighting;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.ingestion.identity.Namespace;
import dev.engage.schemas.raw.InvalidInputException;
import dev.engage.schemas.raw.RawEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Segment-shaped event from {@code touchpoints.raw} into a {@link NormalizedEvent}:
 * snake_case type and channel, UTC event time corrected for client clock skew (Segment's rule:
 * timestamp + (receivedAt - sentAt)), amount and currency, line items, flattened properties, the
 * campaign, referrer, device class and marketing consent of browser events ({@link
 * BrowserAttributes}), and identifiers normalized and hashed. Contact data in the clear (email,
 * phone, push token) is kept off the touchpoint and handed on as the event's {@code
 * ContactSighting}. Rejects what cannot be one, with the reason.
 */
public final class SegmentNormalizer {
  /** A device's push token, flattened from {@code context.device.token}: contact data. */
  private static final String DEVICE_TOKEN = "device.token";

  private final IdentityNamespaces namespaces;
  private final Duration maxFutureSkew;

  /**
   * @param maxFutureSkew how far after its arrival an event's (corrected) time may lie
   */
  public SegmentNormalizer(IdentityNamespaces namespaces, Duration maxFutureSkew) {
    this.namespaces = namespaces;
    this.maxFutureSkew = maxFutureSkew;
  }

  public NormalizedEvent normalize(RawEnvelope envelope) {
    JsonNode event = envelope.event();
    List<String> problems = SegmentEventRules.problems(event);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    String eventId = text(event, "messageId");
    if (eventId.isEmpty()) {
      throw new InvalidInputException("'messageId' is missing");
    }
    Instant occurredAt = occurredAt(event, envelope.receivedAt());
    String segmentType = event.path("type").asText();
    JsonNode properties =
        segmentType.equals("identify") ? event.path("traits") : event.path("properties");
    Map<String, String> attributes = new HashMap<>();
    flatten("", properties, attributes);
    removeContactData(segmentType.equals("identify") ? "traits" : "properties", attributes);
    if (segmentType.equals("page") || segmentType.equals("screen")) {
      putIfPresent(attributes, "name", text(event, "name"));
    }
    // what the event's own properties say wins over what the SDK read from the page
    BrowserAttributes.of(event.path("context")).forEach(attributes::putIfAbsent);
    return new NormalizedEvent(
        eventId,
        type(event, segmentType),
        channel(event, envelope.channel()),
        envelope.source(),
        occurredAt,
        envelope.receivedAt(),
        emptyToNull(text(event, "anonymousId")),
        emptyToNull(text(event, "previousId")),
        identities(event),
        attributes,
        amount(properties),
        currency(properties),
        items(properties.path("products")),
        null,
        null,
        context(event.path("context")),
        contacts(event, segmentType, occurredAt));
  }

  /** Identify traits' email and phone, and any event's {@code context.device.token}. */
  private static ContactSighting contacts(JsonNode event, String segmentType, Instant at) {
    boolean identify = segmentType.equals("identify");
    JsonNode traits = event.path("traits");
    ContactSighting sighting =
        new ContactSighting(
            identify ? emptyToNull(text(traits, "email")) : null,
            identify ? emptyToNull(text(traits, "phone")) : null,
            "identify",
            emptyToNull(text(event.path("context").path("device"), "token")),
            at);
    return sighting.isEmpty() ? null : sighting;
  }

  private static String type(JsonNode event, String segmentType) {
    return switch (segmentType) {
      case "track" -> {
        String type = EventNames.snakeCase(text(event, "event"));
        if (type.isEmpty()) {
          throw new InvalidInputException(
              "event name '" + text(event, "event") + "' has no letters or digits");
        }
        yield type;
      }
      case "page" -> "page_view";
      case "screen" -> "screen_view";
      default -> segmentType;
    };
  }

  private static String channel(JsonNode event, String sourceChannel) {
    String declared = EventNames.snakeCase(event.path("context").path("channel").asText(""));
    return declared.isEmpty() ? sourceChannel : declared;
  }

  private Instant occurredAt(JsonNode event, Instant receivedAt) {
    String timestampText =
        text(event, "timestamp").isEmpty()
            ? text(event, "originalTimestamp")
            : text(event, "timestamp");
    if (timestampText.isEmpty()) {
      return receivedAt;
    }
    Instant timestamp = SegmentEventRules.parseTime(timestampText);
    String sentAtText = text(event, "sentAt");
    Instant occurredAt =
        sentAtText.isEmpty()
            ? timestamp
            : timestamp.plus(Duration.between(SegmentEventRules.parseTime(sentAtText), receivedAt));
    if (occurredAt.isAfter(receivedAt.plus(maxFutureSkew))) {
      throw new InvalidInputException(
          "timestamp "
              + timestampText
              + " lies "
              + Duration.between(receivedAt, occurredAt).toMinutes()
              + " minutes after the event was received (at most "
              + maxFutureSkew.toMinutes()
              + " allowed); send 'sentAt' so the client's clock skew can be corrected");
    }
    return occurredAt;
  }

  private Map<String, String> identities(JsonNode event) {
    Map<String, String> identities = new HashMap<>();
    putIfPresent(identities, IdentityNamespaces.CUSTOMER_ID, text(event, "userId"));
    putIfPresent(identities, IdentityNamespaces.ANONYMOUS_ID, text(event, "anonymousId"));
    for (Namespace namespace : namespaces.fromFields()) {
      for (String pointer : namespace.fields()) {
        JsonNode value = event.at(pointer);
        if ((value.isTextual() || value.isNumber()) && !value.asText().isBlank()) {
          identities.put(namespace.name(), namespace.keyValue(value.asText()));
          break;
        }
      }
    }
    return identities;
  }

  private static void putIfPresent(
      Map<String, String> identities, Namespace namespace, String raw) {
    if (!raw.isEmpty()) {
      identities.put(namespace.name(), namespace.keyValue(raw));
    }
  }

  private static Double amount(JsonNode properties) {
    for (String field : List.of("revenue", "total", "value", "amount")) {
      JsonNode value = properties.path(field);
      if (value.isNumber()) {
        return value.asDouble();
      }
      if (value.isTextual()) {
        try {
          return Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
          throw new InvalidInputException(
              "property '" + field + "' is not a number: '" + value.asText() + "'");
        }
      }
    }
    return null;
  }

  private static String currency(JsonNode properties) {
    String currency = properties.path("currency").asText("").trim().toUpperCase(Locale.ROOT);
    if (currency.isEmpty()) {
      return null;
    }
    if (!currency.matches("[A-Z]{3}")) {
      throw new InvalidInputException(
          "property 'currency' is not an ISO 4217 code: '" + currency + "'");
    }
    return currency;
  }

  private static List<LineItem> items(JsonNode products) {
    List<LineItem> items = new ArrayList<>();
    if (!products.isArray()) {
      return items;
    }
    for (JsonNode product : products) {
      String sku = firstText(product, "product_id", "sku", "id");
      String category = product.path("category").asText("");
      items.add(
          LineItem.newBuilder()
              .setSku(emptyToNull(sku))
              .setName(emptyToNull(product.path("name").asText("")))
              .setCategory(category.isBlank() ? null : EventNames.snakeCase(category))
              .setQuantity(product.path("quantity").asInt(1))
              .setUnitAmount(product.path("price").asDouble(0))
              .build());
    }
    return items;
  }

  private Map<String, String> context(JsonNode context) {
    Map<String, String> flat = new HashMap<>();
    flatten("", context, flat);
    flat.keySet().removeIf(key -> key.startsWith("traits."));
    // a device's push token is an address (it goes to contacts) and its advertising id a
    // personal identifier: neither is for every reader of touchpoints
    flat.remove(DEVICE_TOKEN);
    flat.remove("device.advertisingId");
    removeContactData("context", flat);
    return flat;
  }

  /**
   * Drops the values of personal namespaces (email, phone) from the flattened {@code root} object:
   * the touchpoint keeps them hashed among its identities, and {@code contacts} is the only place
   * they are kept in the clear.
   */
  private void removeContactData(String root, Map<String, String> flat) {
    String prefix = "/" + root + "/";
    for (Namespace namespace : namespaces.fromFields()) {
      if (namespace.personal()) {
        namespace.fields().stream()
            .filter(pointer -> pointer.startsWith(prefix))
            .forEach(pointer -> flat.remove(pointer.substring(prefix.length()).replace('/', '.')));
      }
    }
  }

  /** Nested objects become dotted keys; arrays and scalars become their JSON text. */
  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        flatten(prefix + field.getKey() + ".", field.getValue(), into);
      }
    } else if (!node.isMissingNode() && !node.isNull() && !prefix.isEmpty()) {
      into.put(
          prefix.substring(0, prefix.length() - 1),
          node.isValueNode() ? node.asText() : node.toString());
    }
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node, field);
      if (!value.isEmpty()) {
        return value;
      }
    }
    return "";
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (!value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
