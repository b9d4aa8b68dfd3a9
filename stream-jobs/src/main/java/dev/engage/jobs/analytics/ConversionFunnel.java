package dev.engage.jobs.analytics;

import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A customer's way from a campaign to a conversion, keyed by customer: which campaign each action
 * and notification belongs to (so that a delivery report, an open or a click counts for it), which
 * campaigns the customer was exposed to, as treated or as the control group, and whether they
 * converted within the window after. Uplift compares the two groups' conversion rates.
 *
 * <p>Exposure is intent to treat: a treated customer is exposed when a notification of the campaign
 * was decided for them, sent or suppressed (by a cap, quiet hours...), and a control-group customer
 * when it was held back for the control group. Both groups then count the same kind of customer,
 * those the campaign was meant to reach. A customer counts once per campaign and window: an
 * exposure within the window of an earlier one adds nothing.
 *
 * <p>An agent who accepts an action for the customer exposes them in the same way, for the agent's
 * {@code converted}.
 *
 * <p>The times are Engage's (a decision's, a response's and a conversion's receipt), not event
 * time: decisions are made in processing time.
 *
 * <p><b>What bounds its state.</b> Per customer at most {@value #MAX_EXPOSURES} exposures and
 * {@value #MAX_NAMES} action and notification ids, none kept much longer than twice the window: a
 * processing-time timer sweeps them. An erasure clears them.
 */
public final class ConversionFunnel extends KeyedProcessFunction<String, FunnelEvent, Figure> {
  private static final long serialVersionUID = 1L;

  static final int MAX_EXPOSURES = 100;
  static final int MAX_NAMES = 500;

  private static final MapStateDescriptor<String, Exposure> EXPOSURES =
      new MapStateDescriptor<>(
          "funnel-exposures", Types.STRING, TypeInformation.of(Exposure.class));
  private static final MapStateDescriptor<String, Named> NAMES =
      new MapStateDescriptor<>("funnel-names", Types.STRING, TypeInformation.of(Named.class));
  private static final ValueStateDescriptor<Long> SWEEP_AT =
      new ValueStateDescriptor<>("funnel-sweep-at", Types.LONG);

  /** An exposure of the customer to a campaign (or an agent's acceptance). */
  public record Exposure(
      String hash, String name, String convertedMetric, long at, boolean converted) {}

  /** The campaign an action or notification id belongs to, and since when. */
  public record Named(String campaign, long at) {}

  private final long window;
  private transient MapState<String, Exposure> exposures;
  private transient MapState<String, Named> names;
  private transient ValueState<Long> sweepAt;

  /**
   * @param window how long after an exposure a conversion counts for it
   */
  public ConversionFunnel(Duration window) {
    this.window = window.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    exposures = getRuntimeContext().getMapState(EXPOSURES);
    names = getRuntimeContext().getMapState(NAMES);
    sweepAt = getRuntimeContext().getState(SWEEP_AT);
  }

  @Override
  public void processElement(FunnelEvent event, Context ctx, Collector<Figure> out)
      throws Exception {
    switch (event.kind()) {
      case EXPOSED -> {
        name(event, ctx);
        String group = event.control() ? "control" : "treated";
        expose(
            AnalyticsKeys.campaigns(),
            event.campaign(),
            "exposed:" + group,
            "converted:" + group,
            event.at(),
            ctx,
            out);
      }
      case NAMED -> name(event, ctx);
      case RESPONDED -> responded(event, ctx, out);
      case CONVERTED -> converted(event.at(), out);
      case ERASED -> {
        exposures.clear();
        names.clear();
        Long due = sweepAt.value();
        if (due != null) {
          ctx.timerService().deleteProcessingTimeTimer(due);
          sweepAt.clear();
        }
      }
    }
  }

  /** A sweep a window from now, unless one is due: state is never kept long past its window. */
  private void armSweep(Context ctx) throws Exception {
    if (sweepAt.value() == null) {
      long due = ctx.timerService().currentProcessingTime() + window;
      ctx.timerService().registerProcessingTimeTimer(due);
      sweepAt.update(due);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Figure> out) throws Exception {
    long expired = timestamp - window;
    removeWhere(exposures, e -> e.at() <= expired);
    removeWhere(names, n -> n.at() <= expired);
    if (exposures.isEmpty() && names.isEmpty()) {
      sweepAt.clear();
    } else {
      long due = timestamp + window;
      ctx.timerService().registerProcessingTimeTimer(due);
      sweepAt.update(due);
    }
  }

  private void name(FunnelEvent event, Context ctx) throws Exception {
    for (String id : new String[] {event.actionId(), event.notificationId()}) {
      if (id != null && !names.contains(id)) {
        names.put(id, new Named(event.campaign(), event.at()));
        keepAtMost(names, MAX_NAMES, Named::at);
        armSweep(ctx);
      }
    }
  }

  /** Counts the customer exposed, unless an exposure of the same within the window stands. */
  private void expose(
      String hash,
      String name,
      String exposedMetric,
      String convertedMetric,
      long at,
      Context ctx,
      Collector<Figure> out)
      throws Exception {
    String key = hash + "\n" + name;
    Exposure standing = exposures.get(key);
    if (standing != null && at < standing.at() + window) {
      return;
    }
    exposures.put(key, new Exposure(hash, name, convertedMetric, at, false));
    keepAtMost(exposures, MAX_EXPOSURES, Exposure::at);
    armSweep(ctx);
    out.collect(Figure.one(hash, exposedMetric, name));
  }

  /**
   * A response counts for the campaign of what it answers (when known), and an agent's answer for
   * the agent: shown, and accepted or dismissed; an acceptance exposes the customer for the agent.
   */
  private void responded(FunnelEvent event, Context ctx, Collector<Figure> out) throws Exception {
    String metric = event.responseType().toLowerCase(Locale.ROOT);
    if (metric.equals("unknown")) {
      return;
    }
    Named named = event.notificationId() == null ? null : names.get(event.notificationId());
    if (named == null && event.actionId() != null) {
      named = names.get(event.actionId());
    }
    if (named != null) {
      out.collect(Figure.one(AnalyticsKeys.campaigns(), metric, named.campaign()));
    }
    String agent = event.agentId();
    if (agent != null && (metric.equals("accepted") || metric.equals("dismissed"))) {
      out.collect(Figure.one(AnalyticsKeys.agents(), "shown", agent));
      out.collect(Figure.one(AnalyticsKeys.agents(), metric, agent));
      if (metric.equals("accepted")) {
        expose(AnalyticsKeys.agents(), agent, "exposed", "converted", event.at(), ctx, out);
      }
    }
  }

  /** Every standing exposure a conversion falls within the window of converts, once. */
  private void converted(long at, Collector<Figure> out) throws Exception {
    List<Map.Entry<String, Exposure>> converting = new ArrayList<>();
    for (Map.Entry<String, Exposure> e : exposures.entries()) {
      Exposure x = e.getValue();
      if (!x.converted() && x.at() <= at && at < x.at() + window) {
        converting.add(e);
      }
    }
    for (Map.Entry<String, Exposure> e : converting) {
      Exposure x = e.getValue();
      exposures.put(
          e.getKey(), new Exposure(x.hash(), x.name(), x.convertedMetric(), x.at(), true));
      out.collect(Figure.one(x.hash(), x.convertedMetric(), x.name()));
    }
  }

  private static <V> void removeWhere(MapState<String, V> state, Predicate<V> gone)
      throws Exception {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, V> e : state.entries()) {
      if (gone.test(e.getValue())) {
        keys.add(e.getKey());
      }
    }
    for (String key : keys) {
      state.remove(key);
    }
  }

  /** Drops the oldest entries past the limit. */
  private static <V> void keepAtMost(MapState<String, V> state, int limit, ToLongFunction<V> at)
      throws Exception {
    List<Map.Entry<String, V>> all = new ArrayList<>();
    state.entries().forEach(all::add);
    if (all.size() <= limit) {
      return;
    }
    all.sort(Comparator.comparingLong(e -> at.applyAsLong(e.getValue())));
    for (Map.Entry<String, V> e : all.subList(0, all.size() - limit)) {
      state.remove(e.getKey());
    }
  }
}
