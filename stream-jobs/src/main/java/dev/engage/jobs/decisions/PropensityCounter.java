package dev.engage.jobs.decisions;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.PropensityCounts;
import dev.engage.jobs.DeadLetterOutput;
import java.time.Duration;
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
 * changes nothing.
 *
 * <p>State is one small record per action and segment, bounded by codes x segments, and it ends: an
 * action and segment without an outcome for {@link #RETENTION} (processing time) is forgotten, and
 * its next outcome starts the counts again from nothing (evidence that old says little of today's
 * customers; the last counts stay on the compacted topic until then).
 */
public final class PropensityCounter
    extends KeyedProcessFunction<String, ActionOutcome, PropensityCounts> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("propensity-counter");

  /** Per action and segment: the counts so far. */
  static final ValueStateDescriptor<PropensityCounts> COUNTS =
      new ValueStateDescriptor<>("propensity-counts", new AvroTypeInfo<>(PropensityCounts.class));

  /** Per action and segment: when its counts end unless another outcome comes. */
  static final ValueStateDescriptor<Long> ENDS_AT =
      new ValueStateDescriptor<>("propensity-ends-at", Long.class);

  /** How long the counts of an action and segment outlive its last outcome. */
  static final Duration RETENTION = Duration.ofDays(365);

  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  private transient ValueState<PropensityCounts> counts;
  private transient ValueState<Long> endsAt;

  @Override
  public void open(OpenContext context) {
    counts = getRuntimeContext().getState(COUNTS);
    endsAt = getRuntimeContext().getState(ENDS_AT);
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
    keepUntil(ctx.timerService().currentProcessingTime() + RETENTION.toMillis(), ctx);
  }

  /** (Re)arms the end, rounded up to the day so most outcomes keep the armed timer. */
  private void keepUntil(long at, Context ctx) throws Exception {
    long due = (at / DAY_MILLIS + 1) * DAY_MILLIS;
    Long armed = endsAt.value();
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      ctx.timerService().deleteProcessingTimeTimer(armed);
    }
    ctx.timerService().registerProcessingTimeTimer(due);
    endsAt.update(due);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PropensityCounts> out)
      throws Exception {
    Long armed = endsAt.value();
    if (armed != null && armed == timestamp) {
      counts.clear();
      endsAt.clear();
    }
  }

  /** The key of an outcome that counts in exactly one segment. */
  static String key(ActionOutcome outcome) {
    return outcome.getCode() + "|" + outcome.getSegments().get(0);
  }
}
