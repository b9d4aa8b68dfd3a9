package dev.engage.jobs.value;

/** The Gaussian hypergeometric function 2F1, summed as its power series inside the unit disc. */
final class Hypergeometric {
  static final int MAX_TERMS = 100_000;
  private static final double RELATIVE_TOLERANCE = 1e-14;

  private Hypergeometric() {}

  /**
   * 2F1(a, b; c; z) = sum over k of (a)_k (b)_k / (c)_k z^k / k! for 0 <= z < 1.
   *
   * @throws IllegalArgumentException if z is outside [0, 1) or c is 0 or a negative integer
   * @throws ArithmeticException if the series has not converged within {@link #MAX_TERMS} terms
   */
  static double f21(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1)) {
      throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, was z = " + z);
    }
    if (c <= 0 && c == Math.rint(c)) {
      throw new IllegalArgumentException("2F1 is undefined for c = " + c);
    }
    double term = 1;
    double sum = 1;
    // Past the largest parameter the ratio of successive terms settles towards z, from above or
    // from below, so the larger of it and z bounds the ratios of all the terms left and the tail
    // is at most |term| * rho / (1 - rho). Before that a term can be small while later ones grow.
    double settled = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    for (int k = 0; k < MAX_TERMS; k++) {
      double ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
      term *= ratio;
      sum += term;
      if (term == 0) {
        return sum; // a or b is a non-positive integer: the series is a polynomial
      }
      double rho = Math.max(Math.abs(ratio), z);
      if (k > settled
          && rho < 1
          && Math.abs(term) * rho / (1 - rho) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
        return sum;
      }
    }
    throw new ArithmeticException(
        "2F1("
            + a
            + ", "
            + b
            + "; "
            + c
            + "; "
            + z
            + ") did not converge in "
            + MAX_TERMS
            + " terms");
  }
}
