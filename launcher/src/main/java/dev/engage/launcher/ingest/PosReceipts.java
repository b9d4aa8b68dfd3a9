package dev.engage.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns a receipt ({@code receiptId, store, timestamp, loyaltyId, currency, items[sku, name,
 * category, quantity, price]}) into a Segment "Purchase" track event of the pos channel.
 *
 * <p>The message id is {@code pos:<store>:<receiptId>}, so importing a file twice gives each
 * receipt once. The loyalty id travels as a trait, so the normalizer links the purchase to the card
 * holder.
 */
public final class PosReceipts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PosReceipts() {}

  /** The event; throws IllegalArgumentException naming the first problem. */
  public static ObjectNode toEvent(JsonNode receipt) {
    String receiptId = required(receipt, "receiptId");
    String store = required(receipt, "store");
    String timestamp = required(receipt, "timestamp");
    try {
      OffsetDateTime.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "timestamp '" + timestamp + "' is not ISO-8601 (2026-11-23T10:15:00Z)");
    }
    String currency = receipt.path("currency").asText("EUR").trim().toUpperCase(Locale.ROOT);
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency '" + currency + "' is not an ISO 4217 code");
    }
    JsonNode items = receipt.path("items");
    if (!items.isArray() || items.isEmpty()) {
      throw new IllegalArgumentException("a receipt needs at least one item");
    }
    ObjectNode event = JSON.createObjectNode();
    event
        .put("type", "track")
        .put("event", "Purchase")
        .put("messageId", "pos:" + store + ":" + receiptId);
    event.put("anonymousId", "pos-receipt-" + store + "-" + receiptId).put("timestamp", timestamp);
    ObjectNode context = event.putObject("context").put("channel", "pos");
    String loyaltyId = receipt.path("loyaltyId").asText("").trim();
    if (!loyaltyId.isEmpty()) {
      context.putObject("traits").put("loyalty_id", loyaltyId);
    }
    ObjectNode properties =
        event
            .putObject("properties")
            .put("receiptId", receiptId)
            .put("store", store)
            .put("currency", currency);
    ArrayNode products = properties.putArray("products");
    double total = 0;
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      JsonNode quantityNode = item.path("quantity");
      int quantity =
          quantityNode.isMissingNode()
              ? 1
              : quantityNode.canConvertToInt()
                  ? quantityNode.asInt()
                  : parseInt(quantityNode.asText());
      JsonNode price = item.path("price");
      if (quantity < 1) {
        throw new IllegalArgumentException(
            "item "
                + (i + 1)
                + ": quantity must be a whole number of at least 1, was '"
                + quantityNode.asText()
                + "'");
      }
      if (!price.isNumber() && !isNumber(price.asText())) {
        throw new IllegalArgumentException(
            "item " + (i + 1) + ": price '" + price.asText() + "' is not a number");
      }
      double unitPrice =
          price.isNumber() ? price.asDouble() : Double.parseDouble(price.asText().trim());
      total += unitPrice * quantity;
      products
          .addObject()
          .put("sku", item.path("sku").asText(""))
          .put("name", item.path("name").asText(""))
          .put("category", item.path("category").asText(""))
          .put("quantity", quantity)
          .put("price", unitPrice);
    }
    properties.put("total", Math.round(total * 100) / 100.0);
    return event;
  }

  private static String required(JsonNode receipt, String field) {
    String value = receipt.path(field).asText("").trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  /** The whole number, or 0 (reported as invalid) when the text is none. */
  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isNumber(String text) {
    try {
      Double.parseDouble(text.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
