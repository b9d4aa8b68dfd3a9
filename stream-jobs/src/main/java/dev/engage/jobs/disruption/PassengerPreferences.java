package dev.engage.jobs.disruption;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Adds what a passenger declared in advance to their disruption touchpoint, keyed by customer:
 * {@code preference.onDisruption} (rebook_next_flight, refund, call_me...) and {@code
 * preference.channel}, from the latest profile on the profiles topic.
 *
 * <p>State: the preferences of customers who declared any; a profile without them clears it, and so
 * does {@code timeToLive} (processing time, the profile job's time-to-live) without a new profile
 * version, on an eviction timer each version moves forward (at most once a minute). The cost: a
 * passenger silent for that long whose flight is then disrupted is told without their declared
 * preference (the profile job has dropped them by then too; their next touchpoint brings both
 * back).
 */
final class PassengerPreferences
    extends KeyedCoProcessFunction<String, Touchpoint, CustomerProfile, Touchpoint> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("passenger-preferences");

  private final Duration timeToLive;
  private transient ValueState<Preferences> preferences;
  private transient ValueState<Long> evictAt;

  PassengerPreferences(Duration timeToLive) {
    this.timeToLive = timeToLive;
  }

  @Override
  public void open(OpenContext context) {
    preferences = getRuntimeContext().getState(DisruptionDescriptors.PREFERENCES);
    evictAt = getRuntimeContext().getState(DisruptionDescriptors.PREFERENCES_EVICTION);
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement1(Touchpoint disruption, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    deadLetters.guard(
        disruption, ctx.getCurrentKey(), ctx::output, () -> addPreferences(disruption, ctx, out));
  }

  private void addPreferences(Touchpoint disruption, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    Preferences declared = preferences.value();
    if (declared != null) {
      Map<String, String> attributes = new HashMap<>(disruption.getAttributes());
      if (declared.getOnDisruption() != null) {
        attributes.put("preference.onDisruption", declared.getOnDisruption());
      }
      if (declared.getPreferredChannel() != null) {
        attributes.put("preference.channel", declared.getPreferredChannel());
      }
      disruption = Touchpoint.newBuilder(disruption).setAttributes(attributes).build();
    }
    out.collect(disruption);
  }

  @Override
  public void processElement2(CustomerProfile profile, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    deadLetters.guard(
        profile, ctx.getCurrentKey(), ctx::output, () -> keepPreferences(profile, ctx, out));
  }

  private void keepPreferences(CustomerProfile profile, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    Preferences declared = profile.getPreferences();
    Long armed = evictAt.value();
    long due = -1;
    if (declared.getOnDisruption() == null && declared.getPreferredChannel() == null) {
      preferences.clear();
    } else {
      preferences.update(declared);
      long now = ctx.timerService().currentProcessingTime();
      long granularity = Math.min(Duration.ofMinutes(1).toMillis(), timeToLive.toMillis());
      due = ((now + timeToLive.toMillis()) / granularity + 1) * granularity;
    }
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      ctx.timerService().deleteProcessingTimeTimer(armed);
      evictAt.clear();
    }
    if (due >= 0) {
      ctx.timerService().registerProcessingTimeTimer(due);
      evictAt.update(due);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Touchpoint> out)
      throws Exception {
    Long armed = evictAt.value();
    if (armed != null && armed == timestamp) {
      preferences.clear();
      evictAt.clear();
    }
  }
}
