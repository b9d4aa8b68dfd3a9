package dev.engage.launcher.bench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.bench.SyntheticWorkload;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import dev.engage.rules.index.RuleIndex;
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
 * JMH: one touchpoint evaluated against the active rules with the pure evaluator, as the Flink
 * operator does per event: the {@link RuleIndex} picks the rules the event can affect, state is
 * kept per customer and rule in maps instead of Flink state, and dropped when it holds nothing. A
 * score in operations per second is touchpoints per second.
 */
@State(Scope.Thread)
public class RuleEvaluatorBenchmark {
  private static final int CUSTOMERS = 10_000;
  private static final int EVENTS = 100_000;

  @Param({"10", "100", "1000", "10000"})
  public int rules;

  @Param({"CAMPAIGNS", "PRODUCTS"})
  public SyntheticWorkload.Mix mix;

  private RuleIndex index;
  private Touchpoint[] events;
  private final Map<String, Map<String, RuleState>> statesByCustomer = new HashMap<>();
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private int next;

  @Setup
  public void setUp() throws Exception {
    RuleParser parser = new RuleParser(new ConditionCompiler());
    List<Rule> active = new ArrayList<>();
    for (String source : SyntheticWorkload.rules(mix, rules)) {
      active.add(parser.parse(source));
    }
    index = RuleIndex.of(active);
    events = new Touchpoint[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = SyntheticWorkload.touchpoint(mix, i, CUSTOMERS);
    }
  }

  @Benchmark
  public void evaluateOneTouchpoint(Blackhole firings) {
    Touchpoint event = events[next];
    next = (next + 1) % EVENTS;
    BoundEvent bound = evaluator.bind(event, null, index);
    long at = event.getOccurredAt().toEpochMilli();
    Map<String, RuleState> states =
        statesByCustomer.computeIfAbsent(event.getCustomerId(), c -> new HashMap<>());
    for (Rule rule : index.candidates(event, states.keySet())) {
      RuleState state = states.getOrDefault(rule.id(), new RuleState());
      firings.consume(evaluator.onEvent(rule, state, bound));
      // like the operator: keep a customer's state only while it holds something
      if (state.canBeDropped(rule.cooldown(), at)) {
        states.remove(rule.id());
      } else {
        states.put(rule.id(), state);
      }
    }
  }
}
