package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import java.util.Comparator;
import java.util.Set;

/**
 * What a condition requires of a touchpoint's field for it to hold: one of {@code values}. The
 * field is {@code type}, {@code channel}, {@code source} or {@code attributes.KEY}.
 */
public record LookupKey(String field, Set<String> values) {
  static final String ATTRIBUTES = "attributes.";

  /**
   * The more selective of two keys first: an event type or an attribute names something specific, a
   * source or a channel is shared by many events; then fewer values.
   */
  static final Comparator<LookupKey> MOST_SELECTIVE_FIRST =
      Comparator.comparingInt((LookupKey key) -> rank(key.field))
          .thenComparingInt(key -> key.values.size());

  /** The touchpoint's value of {@code field}; null when it has none. */
  static String valueOf(Touchpoint event, String field) {
    return switch (field) {
      case "type" -> event.getType();
      case "channel" -> event.getChannel();
      case "source" -> event.getSource();
      default -> event.getAttributes().get(field.substring(ATTRIBUTES.length()));
    };
  }

  private static int rank(String field) {
    return switch (field) {
      case "type" -> 0;
      case "source" -> 2;
      case "channel" -> 3;
      default -> 1;
    };
  }
}
