package dev.engage.jobs.value;

/** The check every model parameter shares: positive and finite. */
final class Parameters {
  private Parameters() {}

  static void requirePositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be positive and finite, was " + value);
    }
  }
}
