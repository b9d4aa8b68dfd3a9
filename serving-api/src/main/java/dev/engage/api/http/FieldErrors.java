package dev.engage.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.schemas.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Validates the fields of a JSON request body and collects every problem, each naming its field, so
 * a client fixes them all at once. {@link #throwIfAny()} turns them into one 400 problem.
 */
public final class FieldErrors {
  private final ObjectNode body;
  private final ArrayNode errors = Json.MAPPER.createArrayNode();

  public FieldErrors(ObjectNode body, Set<String> known) {
    this.body = body;
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                Json.addFieldError(
                    errors, name, "unknown field; known: " + String.join(", ", known));
              }
            });
  }

  /** A text field; null when absent or JSON null, an error when not a string. */
  public String text(String field, boolean required) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        add(field, "is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      add(field, "must be a string");
      return null;
    }
    return node.asText();
  }

  /** A text field that must pass a check when given. */
  public String text(String field, boolean required, Predicate<String> valid, String message) {
    String value = text(field, required);
    if (value != null && !valid.test(value)) {
      add(field, message + " (was '" + value + "')");
      return null;
    }
    return value;
  }

  /** A boolean field; null when absent. */
  public Boolean bool(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      add(field, "must be true or false");
      return null;
    }
    return node.asBoolean();
  }

  /**
   * An ISO-8601 instant that does not lie more than {@code maxSkew} after {@code now} (a client's
   * clock may run a little ahead); {@code now} when absent or wrong.
   */
  public Instant pastInstant(String field, Instant now, Duration maxSkew) {
    String text = text(field, false);
    if (text == null) {
      return now;
    }
    try {
      Instant at = Instant.parse(text);
      if (at.isAfter(now.plus(maxSkew))) {
        add(field, "lies in the future (was '" + text + "')");
      }
      return at;
    } catch (DateTimeParseException e) {
      add(field, "must be an ISO-8601 instant like 2026-11-23T10:15:30Z (was '" + text + "')");
      return now;
    }
  }

  public boolean has(String field) {
    return body.has(field);
  }

  public void add(String field, String message) {
    Json.addFieldError(errors, field, message);
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      String first =
          errors.get(0).path("field").asText() + " " + errors.get(0).path("message").asText();
      throw Problem.invalid(
          errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)", errors);
    }
  }
}
