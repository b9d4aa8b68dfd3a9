package dev.engage.jobs.analytics;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums the increments of each figure, keyed by {@link Figure#key()}, and emits the new total with
 * every one. The totals live in Flink state, so Redis gets absolute values: a replay after a
 * restore writes totals it had already seen, never counts twice.
 *
 * <p><b>What bounds its state.</b> One number per figure: per campaign, agent, channel and day, a
 * few dozen metrics at most.
 */
final class FigureTotals extends KeyedProcessFunction<String, Figure, Figure> {
  private static final long serialVersionUID = 1L;

  private static final ValueStateDescriptor<Double> TOTAL =
      new ValueStateDescriptor<>("figure-total", Types.DOUBLE);

  private transient ValueState<Double> total;

  @Override
  public void open(OpenContext context) {
    total = getRuntimeContext().getState(TOTAL);
  }

  @Override
  public void processElement(Figure increment, Context ctx, Collector<Figure> out)
      throws Exception {
    Double before = total.value();
    double after = (before == null ? 0 : before) + increment.value();
    total.update(after);
    out.collect(new Figure(increment.hash(), increment.field(), after));
  }
}
