package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ControlGroupTest {
  @Test
  void over100000IdsTheControlGroupIsWithinOnePointOfItsShare() {
    for (double share : new double[] {0.05, 0.2}) {
      ControlGroup group = new ControlGroup(share);

      long in = IntStream.range(0, 100_000).filter(i -> group.contains("cust-" + i)).count();

      assertThat(in / 100_000.0).isCloseTo(share, within(0.01));
    }
  }

  @Test
  void aCustomerStaysInOrOutOfTheGroup() {
    ControlGroup group = new ControlGroup(0.05);
    ControlGroup again = new ControlGroup(0.05);

    assertThat(
            IntStream.range(0, 1_000)
                .allMatch(i -> group.contains("c" + i) == again.contains("c" + i)))
        .isTrue();
  }

  @Test
  void aShareOfZeroHoldsNobodyOut() {
    ControlGroup none = new ControlGroup(0);

    assertThat(IntStream.range(0, 10_000).noneMatch(i -> none.contains("c" + i))).isTrue();
  }
}
