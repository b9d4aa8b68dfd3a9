package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;

/**
 * Something a condition cannot hold without, checked on a touchpoint's fields directly, far cheaper
 * than evaluating the condition: a field equal to one of some strings ({@link LookupKey}) or a
 * number within a bound ({@link NumericBound}).
 */
sealed interface Requirement permits LookupKey, NumericBound {
  /** Whether {@code event} meets it; when it does not, the condition is false for the event. */
  boolean heldBy(Touchpoint event);
}
