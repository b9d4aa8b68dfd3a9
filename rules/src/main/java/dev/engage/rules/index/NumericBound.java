package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;

/**
 * A comparison of a numeric touchpoint field ({@code amount} or {@code delayMinutes}) with a
 * constant, such as {@code event.amount > 100.0}: an unset field fails it, as it makes the
 * condition false. Integers compare as integers, anything else as doubles, as CEL does.
 */
record NumericBound(String field, Comparison comparison, Number bound) implements Requirement {
  static final String AMOUNT = "amount";
  static final String DELAY_MINUTES = "delayMinutes";

  /** The comparisons a bound can make, with the field's value on the left. */
  enum Comparison {
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    EQUAL;

    /** The same comparison with its sides swapped ({@code 5 < x} is {@code x > 5}). */
    Comparison mirrored() {
      return switch (this) {
        case LESS -> GREATER;
        case LESS_OR_EQUAL -> GREATER_OR_EQUAL;
        case GREATER -> LESS;
        case GREATER_OR_EQUAL -> LESS_OR_EQUAL;
        case EQUAL -> EQUAL;
      };
    }

    boolean holds(long value, long bound) {
      return switch (this) {
        case LESS -> value < bound;
        case LESS_OR_EQUAL -> value <= bound;
        case GREATER -> value > bound;
        case GREATER_OR_EQUAL -> value >= bound;
        case EQUAL -> value == bound;
      };
    }

    /** With the primitive operators, so that NaN fails every comparison and -0.0 equals 0.0. */
    boolean holds(double value, double bound) {
      return switch (this) {
        case LESS -> value < bound;
        case LESS_OR_EQUAL -> value <= bound;
        case GREATER -> value > bound;
        case GREATER_OR_EQUAL -> value >= bound;
        case EQUAL -> value == bound;
      };
    }
  }

  @Override
  public boolean heldBy(Touchpoint event) {
    Number value = field.equals(AMOUNT) ? (Number) event.getAmount() : event.getDelayMinutes();
    if (value == null) {
      return false;
    }
    return value instanceof Integer && bound instanceof Long
        ? comparison.holds(value.longValue(), bound.longValue())
        : comparison.holds(value.doubleValue(), bound.doubleValue());
  }
}
