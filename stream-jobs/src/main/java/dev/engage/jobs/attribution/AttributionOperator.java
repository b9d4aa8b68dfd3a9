package dev.engage.jobs.attribution;

import dev.engage.avro.Attribution;
import dev.engage.avro.Notification;
import dev.engage.avro.TouchCredit;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.analytics.AnalyticsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Credits each conversion (a touchpoint of a goal type) to the customer's touches before it: their
 * touchpoints and the notifications sent to them within the lookback, and the converting touchpoint
 * itself, the last touch. One {@link Attribution} per conversion, with the credit of every touch
 * under each {@link AttributionModel}. Keyed by customer.
 *
 * <p>A touch that arrives after the conversion it happened before (late, or a notification whose
 * record comes later than the purchase it led to) is not credited to that conversion.
 *
 * <p><b>What bounds its state.</b> Per customer at most {@link #MAX_TOUCHES} touches, none older
 * than the lookback before the latest; an event-time timer a lookback after the latest touch clears
 * them.
 */
public final class AttributionOperator
    extends KeyedCoProcessFunction<String, Touchpoint, Notification, Attribution> {
  private static final long serialVersionUID = 1L;

  /** The most touches kept per customer: the oldest go first. */
  static final int MAX_TOUCHES = 50;

  private static final ListStateDescriptor<Touch> TOUCHES =
      new ListStateDescriptor<>("attribution-touches", TypeInformation.of(Touch.class));
  private static final ValueStateDescriptor<Long> CLEAR_AT =
      new ValueStateDescriptor<>("attribution-clear-at", Types.LONG);

  private final Set<String> goals;
  private final Duration lookback;
  private final Duration halfLife;
  private transient ListState<Touch> touches;
  private transient ValueState<Long> clearAt;

  /**
   * @param goals the touchpoint types that are conversions (purchase, order_completed...)
   * @param lookback how long before a conversion a touch still counts
   * @param halfLife the time decay model's half-life
   */
  public AttributionOperator(Set<String> goals, Duration lookback, Duration halfLife) {
    this.goals = Set.copyOf(goals);
    this.lookback = lookback;
    this.halfLife = halfLife;
  }

  /** The operator with the settings' goals, lookback and half-life. */
  public static AttributionOperator of(AnalyticsSettings settings) {
    return new AttributionOperator(settings.goals(), settings.lookback(), settings.halfLife());
  }

  @Override
  public void open(OpenContext context) {
    touches = getRuntimeContext().getListState(TOUCHES);
    clearAt = getRuntimeContext().getState(CLEAR_AT);
  }

  @Override
  public void processElement1(Touchpoint event, Context ctx, Collector<Attribution> out)
      throws Exception {
    Touch touch =
        new Touch(
            event.getEventId(),
            Touch.TOUCHPOINT,
            event.getOccurredAt(),
            event.getChannel(),
            event.getAttributes().get("campaign"));
    List<Touch> kept = add(touch, ctx);
    if (goals.contains(event.getType())) {
      out.collect(attribution(event, before(kept, event.getOccurredAt())));
    }
  }

  @Override
  public void processElement2(Notification sent, Context ctx, Collector<Attribution> out)
      throws Exception {
    add(
        new Touch(
            sent.getNotificationId(),
            Touch.NOTIFICATION,
            sent.getCreatedAt(),
            sent.getChannel(),
            sent.getRuleId()),
        ctx);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Attribution> out)
      throws Exception {
    Long due = clearAt.value();
    if (due != null && due == timestamp) {
      touches.clear();
      clearAt.clear();
    }
  }

  /** Keeps the touch with the others, oldest first, bounded; returns them. */
  private List<Touch> add(Touch touch, Context ctx) throws Exception {
    List<Touch> kept = new ArrayList<>();
    touches.get().forEach(kept::add);
    if (kept.stream().noneMatch(t -> t.id().equals(touch.id()))) {
      kept.add(touch);
    }
    kept.sort(Comparator.comparing(Touch::at));
    Instant latest = kept.get(kept.size() - 1).at();
    kept.removeIf(t -> t.at().isBefore(latest.minus(lookback)));
    while (kept.size() > MAX_TOUCHES) {
      kept.remove(0);
    }
    touches.update(kept);
    long due = latest.plus(lookback).toEpochMilli();
    Long armed = clearAt.value();
    if (armed == null || armed != due) {
      if (armed != null) {
        ctx.timerService().deleteEventTimeTimer(armed);
      }
      ctx.timerService().registerEventTimeTimer(due);
      clearAt.update(due);
    }
    return kept;
  }

  /** The touches within the lookback up to and including the conversion's time, oldest first. */
  private List<Touch> before(List<Touch> kept, Instant convertedAt) {
    Instant from = convertedAt.minus(lookback);
    return kept.stream()
        .filter(t -> !t.at().isAfter(convertedAt) && !t.at().isBefore(from))
        .toList();
  }

  private Attribution attribution(Touchpoint conversion, List<Touch> credited) {
    Instant at = conversion.getOccurredAt();
    double[] first = AttributionModel.FIRST_TOUCH.credits(credited, at, halfLife);
    double[] last = AttributionModel.LAST_TOUCH.credits(credited, at, halfLife);
    double[] linear = AttributionModel.LINEAR.credits(credited, at, halfLife);
    double[] decay = AttributionModel.TIME_DECAY.credits(credited, at, halfLife);
    double[] position = AttributionModel.POSITION_BASED.credits(credited, at, halfLife);
    List<TouchCredit> credits = new ArrayList<>();
    for (int i = 0; i < credited.size(); i++) {
      Touch t = credited.get(i);
      credits.add(
          new TouchCredit(
              t.id(),
              t.kind(),
              t.channel(),
              t.campaign(),
              t.at(),
              first[i],
              last[i],
              linear[i],
              decay[i],
              position[i]));
    }
    return new Attribution(
        conversion.getEventId(),
        conversion.getCustomerId(),
        conversion.getType(),
        at,
        conversion.getReceivedAt(),
        conversion.getAmount(),
        credits);
  }
}
