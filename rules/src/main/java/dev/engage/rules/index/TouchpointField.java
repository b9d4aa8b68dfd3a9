package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;

/**
 * A touchpoint's string field that a {@link LookupKey} can name ({@code type}, {@code channel},
 * {@code source}, {@code status}, {@code currency} or {@code attributes.KEY}), with the attribute's
 * key cut out of the name once: the index reads these fields for every event and every condition it
 * checks, so the name is not parsed (and a new key string hashed) on each read.
 *
 * @param name the field as the index names it
 * @param attribute the attribute's key for {@code attributes.KEY}; null for the other fields
 */
record TouchpointField(String name, String attribute) {
  static TouchpointField of(String name) {
    return new TouchpointField(
        name,
        name.startsWith(LookupKey.ATTRIBUTES)
            ? name.substring(LookupKey.ATTRIBUTES.length())
            : null);
  }

  /** The touchpoint's value of the field; null when it has none. */
  String valueOf(Touchpoint event) {
    if (attribute != null) {
      return event.getAttributes().get(attribute);
    }
    return switch (name) {
      case "type" -> event.getType();
      case "channel" -> event.getChannel();
      case "source" -> event.getSource();
      case "status" -> event.getStatus();
      case "currency" -> event.getCurrency();
      default -> throw new IllegalStateException("not a touchpoint field: " + name);
    };
  }
}
