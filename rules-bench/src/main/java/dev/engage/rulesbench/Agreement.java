package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.bench.SyntheticWorkload;
import dev.engage.rules.definition.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the same touchpoints through Engage's evaluator and through Drools on the same {@code kind:
 * event} rules of a mix and collects what each fired, so the two can be compared.
 */
final class Agreement {
  /** Each engine's firings, as {@code rule@eventId}, in the order they happened per touchpoint. */
  record Firings(List<String> engage, List<String> drools) {
    /** Whether both fired the same rules on the same touchpoints (in any order within one). */
    boolean same() {
      return engage.stream().sorted().toList().equals(drools.stream().sorted().toList());
    }
  }

  private Agreement() {}

  static Firings of(SyntheticWorkload.Mix mix, int rules, int touchpoints) {
    List<Rule> active = BenchRules.parse(SyntheticWorkload.eventRules(mix, rules));
    EngageEvaluation engage = new EngageEvaluation(active);
    List<String> engageFirings = new ArrayList<>();
    List<String> droolsFirings = new ArrayList<>();
    try (DroolsRules.Session drools =
        DroolsRules.compile(active)
            .session((rule, event) -> droolsFirings.add(rule + "@" + event.getEventId()))) {
      for (int i = 0; i < touchpoints; i++) {
        Touchpoint event = SyntheticWorkload.touchpoint(mix, i, RuleEvaluatorBenchmark.CUSTOMERS);
        engage.evaluate(event, (rule, e) -> engageFirings.add(rule + "@" + e.getEventId()));
        drools.evaluate(event);
      }
    }
    return new Firings(engageFirings, droolsFirings);
  }
}
