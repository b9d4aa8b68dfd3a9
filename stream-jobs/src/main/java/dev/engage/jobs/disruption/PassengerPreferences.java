package dev.engage.jobs.disruption;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
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
 * <p>State: the preferences of customers who declared any; a profile without them clears it.
 */
final class PassengerPreferences
    extends KeyedCoProcessFunction<String, Touchpoint, CustomerProfile, Touchpoint> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("passenger-preferences");

  private transient ValueState<Preferences> preferences;

  @Override
  public void open(OpenContext context) {
    preferences = getRuntimeContext().getState(DisruptionDescriptors.PREFERENCES);
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
    if (declared.getOnDisruption() == null && declared.getPreferredChannel() == null) {
      preferences.clear();
    } else {
      preferences.update(declared);
    }
  }
}
