package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.bench.SyntheticWorkload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: one touchpoint evaluated against the active rules of a mix (every kind) with the pure
 * evaluator, as the Flink operator does per event ({@link EngageEvaluation}), cases whose time came
 * included. A score in operations per second is touchpoints per second. Each pass over the stream
 * starts from no state, since its event time starts again.
 */
@State(Scope.Thread)
public class RuleEvaluatorBenchmark {
  static final int CUSTOMERS = 10_000;
  static final int EVENTS = 100_000;

  @Param({"10", "100", "1000", "10000"})
  public int rules;

  @Param({"CAMPAIGNS", "PRODUCTS"})
  public SyntheticWorkload.Mix mix;

  private EngageEvaluation engage;
  private Touchpoint[] events;
  private int next;

  @Setup
  public void setUp() {
    engage = new EngageEvaluation(BenchRules.parse(SyntheticWorkload.rules(mix, rules)));
    events = touchpoints(mix);
  }

  @Benchmark
  public void evaluateOneTouchpoint(Blackhole firings) {
    Touchpoint event = events[next];
    next = (next + 1) % EVENTS;
    engage.evaluate(event, (rule, touchpoint) -> firings.consume(rule));
    if (next == 0) {
      engage.restart(); // the stream's event time starts again
    }
  }

  static Touchpoint[] touchpoints(SyntheticWorkload.Mix mix) {
    Touchpoint[] events = new Touchpoint[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = SyntheticWorkload.touchpoint(mix, i, CUSTOMERS);
    }
    return events;
  }
}
