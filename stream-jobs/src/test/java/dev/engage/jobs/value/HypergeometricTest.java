package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The 2F1 series against closed forms, and its refusals. */
class HypergeometricTest {

  @Test
  void matchesTheLogarithmClosedForm() {
    for (double z : new double[] {0.1, 0.5, 0.9, 0.99}) {
      // 2F1(1, 1; 2; z) = -ln(1 - z) / z
      assertThat(Hypergeometric.f21(1, 1, 2, z)).isCloseTo(-Math.log1p(-z) / z, within(1e-12));
    }
  }

  @Test
  void matchesTheBinomialClosedForm() {
    // 2F1(a, b; b; z) = (1 - z)^-a, here with a negative first parameter as BG/NBD passes it
    assertThat(Hypergeometric.f21(-0.7, 3.2, 3.2, 0.8))
        .isCloseTo(Math.pow(0.2, 0.7), within(1e-12));
  }

  @Test
  void aNonPositiveIntegerParameterEndsTheSeries() {
    double b = 1.5;
    double c = 2.5;
    double z = 0.6;
    double polynomial = 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1));
    assertThat(Hypergeometric.f21(-2, b, c, z)).isCloseTo(polynomial, within(1e-15));
  }

  @Test
  void isOneAtZero() {
    assertThat(Hypergeometric.f21(2.3, 4.1, 0.7, 0)).isEqualTo(1);
  }

  @Test
  void refusesArgumentsOutsideTheUnitInterval() {
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= z < 1");
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, -3, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("undefined for c = -3.0");
  }

  @Test
  void saysSoWhenTheSeriesDoesNotConverge() {
    // the terms shrink like z^k; this close to 1 they need far more than the bound allows
    assertThatThrownBy(() -> Hypergeometric.f21(2, 2, 1, 1 - 1e-9))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("did not converge in " + Hypergeometric.MAX_TERMS + " terms");
  }
}
