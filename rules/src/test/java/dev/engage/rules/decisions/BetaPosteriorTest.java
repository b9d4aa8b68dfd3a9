package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BetaPosteriorTest {
  @Test
  void thePosteriorMeanAddsTheCountsToThePrior() {
    assertThat(BetaPosterior.of(1, 1, 0, 0).mean()).isEqualTo(0.5);
    assertThat(BetaPosterior.of(1, 1, 8, 0).mean()).isEqualTo(0.9);
    assertThat(BetaPosterior.of(2, 8, 10, 30).mean()).isEqualTo(0.24);
  }

  @Test
  void drawsAverageToTheMeanAndNarrowWithEvidence() {
    SplittableRandom random = new SplittableRandom(42);
    BetaPosterior few = BetaPosterior.of(1, 1, 3, 1);
    BetaPosterior many = BetaPosterior.of(1, 1, 300, 100);
    double sum = 0;
    double spreadFew = 0;
    double spreadMany = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double x = few.sample(random);
      sum += x;
      spreadFew += Math.abs(x - few.mean());
      spreadMany += Math.abs(many.sample(random) - many.mean());
    }

    assertThat(sum / n).isCloseTo(few.mean(), within(0.01));
    assertThat(spreadMany).isLessThan(spreadFew / 5);
  }

  @Test
  void aPriorBelowOneStillDrawsWithinZeroAndOne() {
    SplittableRandom random = new SplittableRandom(7);
    BetaPosterior sparse = new BetaPosterior(0.5, 0.5);

    for (int i = 0; i < 1_000; i++) {
      assertThat(sparse.sample(random)).isBetween(0.0, 1.0);
    }
  }
}
