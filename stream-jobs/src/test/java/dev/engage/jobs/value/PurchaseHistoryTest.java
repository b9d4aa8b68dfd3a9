package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A history the models could not have produced is refused, naming the field at fault. */
class PurchaseHistoryTest {

  @Test
  void aOneOffBuyerAndARepeatBuyerAreAccepted() {
    assertThatCode(() -> new PurchaseHistory(0, 0, 30, 0)).doesNotThrowAnyException();
    assertThatCode(() -> new PurchaseHistory(3, 30, 30, 25.5)).doesNotThrowAnyException();
  }

  @Test
  void negativeFrequencyIsRefused() {
    assertThatThrownBy(() -> new PurchaseHistory(-1, 0, 30, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frequency must be >= 0, was -1");
  }

  @Test
  void recencyBeyondTheAgeIsRefused() {
    assertThatThrownBy(() -> new PurchaseHistory(2, 31, 30, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recency must be between 0 and the age (30.0 days), was 31.0");
    assertThatThrownBy(() -> new PurchaseHistory(2, Double.NaN, 30, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recency must be between 0");
  }

  @Test
  void negativeOrInfiniteAgeIsRefused() {
    assertThatThrownBy(() -> new PurchaseHistory(0, 0, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("age must be finite and >= 0 days, was -1.0");
    assertThatThrownBy(() -> new PurchaseHistory(0, 0, Double.POSITIVE_INFINITY, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("age must be finite");
  }

  @Test
  void negativeMeanValueIsRefused() {
    assertThatThrownBy(() -> new PurchaseHistory(1, 5, 30, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meanRepeatValue must be finite and >= 0, was -2.0");
  }

  @Test
  void withoutARepeatPurchaseRecencyAndMeanValueMustBeZero() {
    assertThatThrownBy(() -> new PurchaseHistory(0, 5, 30, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with no repeat purchase recency and meanRepeatValue must be 0");
    assertThatThrownBy(() -> new PurchaseHistory(0, 0, 30, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with no repeat purchase");
  }
}
