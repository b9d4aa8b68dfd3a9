package dev.engage.rules.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The benchmark workload is valid and does fire: otherwise its figures would measure nothing. */
class SyntheticWorkloadTest {
  private final RuleParser parser = new RuleParser(new ConditionCompiler());

  @ParameterizedTest
  @EnumSource(SyntheticWorkload.Mix.class)
  void everyRuleParsesAndTheMixFiresOnTheTouchpoints(SyntheticWorkload.Mix mix) {
    List<Rule> rules = SyntheticWorkload.rules(mix, 100).stream().map(parser::parse).toList();
    assertThat(rules)
        .extracting(r -> r.trigger().kind())
        .contains("event", "count", "sequence", "absence", "threshold");

    RuleEvaluator evaluator = new RuleEvaluator();
    RuleState[] states = new RuleState[rules.size()];
    for (int r = 0; r < states.length; r++) {
      states[r] = new RuleState();
    }
    long firings = 0;
    for (int i = 0; i < 20_000; i++) {
      var bound = evaluator.bind(SyntheticWorkload.touchpoint(mix, i, 1), null);
      for (int r = 0; r < states.length; r++) {
        firings += evaluator.onEvent(rules.get(r), states[r], bound).isPresent() ? 1 : 0;
      }
    }
    assertThat(firings).isPositive();
  }
}
