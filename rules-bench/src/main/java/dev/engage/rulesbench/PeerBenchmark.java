package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.bench.SyntheticWorkload;
import dev.engage.rules.definition.Rule;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: Engage's pure evaluator and Drools on the same rules and touchpoints, one touchpoint per
 * operation: each mix's {@code kind: event} rules ({@link SyntheticWorkload#eventRules}, the shape
 * with a faithful DRL translation, see {@link DroolsRules}). {@link Agreement} checks that both
 * fire the same.
 */
@State(Scope.Thread)
public class PeerBenchmark {
  /** Which engine evaluates. */
  public enum Engine {
    ENGAGE,
    DROOLS
  }

  @Param({"10", "100", "1000", "10000"})
  public int rules;

  @Param({"CAMPAIGNS", "PRODUCTS"})
  public SyntheticWorkload.Mix mix;

  @Param({"ENGAGE", "DROOLS"})
  public Engine engine;

  private Touchpoint[] events;
  private EngageEvaluation engage;
  private DroolsRules.Session drools;
  private Blackhole blackhole;
  private int next;

  @Setup
  public void setUp(Blackhole blackhole) {
    this.blackhole = blackhole;
    List<Rule> active = BenchRules.parse(SyntheticWorkload.eventRules(mix, rules));
    events = RuleEvaluatorBenchmark.touchpoints(mix);
    if (engine == Engine.ENGAGE) {
      engage = new EngageEvaluation(active);
    } else {
      drools = DroolsRules.compile(active).session((rule, event) -> this.blackhole.consume(rule));
    }
  }

  @Benchmark
  public void evaluateOneTouchpoint(Blackhole firings) {
    Touchpoint event = events[next];
    next = (next + 1) % events.length;
    if (engage != null) {
      engage.evaluate(event, (rule, touchpoint) -> firings.consume(rule));
    } else {
      drools.evaluate(event);
    }
  }

  @TearDown
  public void tearDown() {
    if (drools != null) {
      drools.close();
    }
  }
}
