package dev.engage.launcher.bench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.bench.SyntheticWorkload;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: one touchpoint evaluated against every active rule with the pure evaluator, as the Flink
 * operator does per event (state kept per customer and rule in a map instead of Flink state, and
 * dropped when it holds nothing). A score in operations per second is touchpoints per second.
 */
@State(Scope.Thread)
public class RuleEvaluatorBenchmark {
  private static final int CUSTOMERS = 10_000;
  private static final int EVENTS = 100_000;

  @Param({"10", "100", "1000"})
  public int rules;

  private List<Rule> active;
  private Touchpoint[] events;
  private List<Map<String, RuleState>> statesByRule;
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private int next;

  @Setup
  public void setUp() throws Exception {
    RuleParser parser = new RuleParser(new ConditionCompiler());
    active = new ArrayList<>();
    statesByRule = new ArrayList<>();
    for (String source : SyntheticWorkload.rules(rules)) {
      active.add(parser.parse(source));
      statesByRule.add(new HashMap<>());
    }
    events = new Touchpoint[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = SyntheticWorkload.touchpoint(i, CUSTOMERS);
    }
  }

  @Benchmark
  public void evaluateOneTouchpoint(Blackhole firings) {
    Touchpoint event = events[next];
    next = (next + 1) % EVENTS;
    BoundEvent bound = evaluator.bind(event, null);
    long at = event.getOccurredAt().toEpochMilli();
    for (int r = 0; r < active.size(); r++) {
      Rule rule = active.get(r);
      Map<String, RuleState> states = statesByRule.get(r);
      RuleState state = states.getOrDefault(event.getCustomerId(), new RuleState());
      firings.consume(evaluator.onEvent(rule, state, bound));
      // like the operator: keep a customer's state only while it holds something
      if (state.canBeDropped(rule.cooldown(), at)) {
        states.remove(event.getCustomerId());
      } else {
        states.put(event.getCustomerId(), state);
      }
    }
  }
}
