package dev.engage.jobs.decisions;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.PropensityCounts;
import dev.engage.jobs.DeadLetterOutput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts what customers did with each action in each segment, keyed by {@code CODE|segment}: one
 * outcome in, the new absolute counts out. The counts are Flink state (checkpointed with the
 * decisions that produced the outcomes), so a restore neither loses nor double-counts an outcome;
 * the absolute counts then go to the compacted {@code propensities} topic, where a replayed record
 * changes nothing. State is one small record per action and segment, bounded by codes x segments.
 */
public final class PropensityCounter
    extends KeyedProcessFunction<String, ActionOutcome, PropensityCounts> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("propensity-counter");

  /** Per action and segment: the counts so far. */
  static final ValueStateDescriptor<PropensityCounts> COUNTS =
      new ValueStateDescriptor<>("propensity-counts", new AvroTypeInfo<>(PropensityCounts.class));

  private transient ValueState<PropensityCounts> counts;

  @Override
  public void open(OpenContext context) {
    counts = getRuntimeContext().getState(COUNTS);
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(ActionOutcome outcome, Context ctx, Collector<PropensityCounts> out)
      throws Exception {
    deadLetters.guard(outcome, ctx.getCurrentKey(), ctx::output, () -> count(outcome, ctx, out));
  }

  private void count(ActionOutcome outcome, Context ctx, Collector<PropensityCounts> out)
      throws Exception {
    PropensityCounts current = counts.value();
    if (current == null) {
      current =
          new PropensityCounts(
              outcome.getCode(), outcome.getSegments().get(0), 0L, 0L, outcome.getAt());
    }
    PropensityCounts next =
        PropensityCounts.newBuilder(current)
            .setSuccesses(current.getSuccesses() + (outcome.getSuccess() ? 1 : 0))
            .setFailures(current.getFailures() + (outcome.getSuccess() ? 0 : 1))
            .setUpdatedAt(
                outcome.getAt().isAfter(current.getUpdatedAt())
                    ? outcome.getAt()
                    : current.getUpdatedAt())
            .build();
    counts.update(next);
    out.collect(next);
  }

  /** The key of an outcome that counts in exactly one segment. */
  static String key(ActionOutcome outcome) {
    return outcome.getCode() + "|" + outcome.getSegments().get(0);
  }
}
