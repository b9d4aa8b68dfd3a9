package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The trigger pipeline: touchpoints, profile versions and erasures keyed by customer, connected
 * with the rules broadcast to every task, evaluated by {@link TriggerEvaluator} once the rules have
 * been read as far as {@code rulesAtStart}. The caller passes the sources and takes the output, so
 * the job's main and the tests share this wiring.
 */
public final class TriggerJob {
  private TriggerJob() {}

  public static SingleOutputStreamOperator<TriggerFired> triggers(
      DataStream<Touchpoint> touchpoints,
      DataStream<CustomerProfile> profiles,
      DataStream<ErasureRequest> erasures,
      DataStream<RuleChange> rules,
      RulesAtStart rulesAtStart,
      Duration timeToLive) {
    BroadcastStream<RuleChange> broadcastRules =
        rules.broadcast(TriggerDescriptors.RULES, TriggerDescriptors.RULES_READ);
    TypeInformation<CustomerInput> input = TypeInformation.of(CustomerInput.class);
    return touchpoints
        .map(CustomerInput::of, input)
        .name("touchpoint as input")
        .union(
            profiles.map(p -> CustomerInput.of(withoutTimeline(p)), input).name("profile as input"),
            erasures.map(CustomerInput::of, input).name("erasure as input"))
        .keyBy(CustomerInput::customerId)
        .connect(broadcastRules)
        .process(new TriggerEvaluator(rulesAtStart, timeToLive))
        .uid("trigger-evaluator")
        .name("evaluate trigger rules");
  }

  /** Rules read no timeline, and this operator keeps every customer's latest profile. */
  private static CustomerProfile withoutTimeline(CustomerProfile profile) {
    return CustomerProfile.newBuilder(profile).setTimeline(List.of()).build();
  }
}
