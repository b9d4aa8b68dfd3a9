package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import java.util.Set;

/**
 * What a condition requires of a touchpoint's string field for it to hold: one of {@code values}.
 * The field is {@code type}, {@code channel}, {@code source}, {@code status}, {@code currency} or
 * {@code attributes.KEY}. Touchpoints are looked up by it in the {@link RuleIndex}.
 */
record LookupKey(TouchpointField field, Set<String> values) implements Requirement {
  static final String ATTRIBUTES = "attributes.";

  /** The touchpoint fields a key can name besides attributes. */
  static final Set<String> FIELDS = Set.of("type", "channel", "source", "status", "currency");

  LookupKey(String field, Set<String> values) {
    this(TouchpointField.of(field), values);
  }

  @Override
  public boolean heldBy(Touchpoint event) {
    String value = field.valueOf(event);
    return value != null && values.contains(value);
  }
}
