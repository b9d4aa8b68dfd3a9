package dev.engage.jobs.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.rules.decisions.DecisionSettings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The decisions pipeline: triggers, profile versions, responses and erasures keyed by customer,
 * connected with the rules, offers and propensity counts broadcast to every task, decided by {@link
 * DecisionOperator}. The next-best-actions are the output; notifications, outcomes and decision
 * records are its side outputs ({@link DecisionDescriptors#NOTIFICATIONS}, {@link
 * DecisionDescriptors#OUTCOMES}, {@link DecisionDescriptors#DECISIONS}). The caller passes the
 * sources and takes the outputs, so the application and the tests share this wiring.
 */
public final class DecisionJob {
  private DecisionJob() {}

  public static SingleOutputStreamOperator<NextBestActions> decisions(
      DataStream<TriggerFired> triggers,
      DataStream<CustomerProfile> profiles,
      DataStream<Response> responses,
      DataStream<ErasureRequest> erasures,
      DataStream<RuleChange> definitions,
      DataStream<PropensityCounts> propensities,
      DecisionSettings settings,
      Duration profileTimeToLive) {
    TypeInformation<DecisionBroadcast> shared = TypeInformation.of(DecisionBroadcast.class);
    DataStream<DecisionBroadcast> broadcast =
        definitions
            .map(DecisionBroadcast::of, shared)
            .name("definition for decisions")
            .union(
                propensities.map(DecisionBroadcast::of, shared).name("propensities for decisions"));
    TypeInformation<DecisionInput> input = TypeInformation.of(DecisionInput.class);
    return triggers
        .map(DecisionInput::of, input)
        .name("trigger as decision input")
        .union(
            profiles
                .map(p -> DecisionInput.of(withoutTimeline(p)), input)
                .name("profile as decision input"),
            responses.map(DecisionInput::of, input).name("response as decision input"),
            erasures.map(DecisionInput::of, input).name("erasure as decision input"))
        .keyBy(DecisionInput::customerId)
        .connect(
            broadcast.broadcast(DecisionDescriptors.DEFINITIONS, DecisionDescriptors.PROPENSITIES))
        .process(new DecisionOperator(settings, profileTimeToLive))
        .uid("decisions")
        .name("decide next-best-actions and notifications");
  }

  /** Decisions read no timeline, and this operator keeps every customer's latest profile. */
  private static CustomerProfile withoutTimeline(CustomerProfile profile) {
    return CustomerProfile.newBuilder(profile).setTimeline(List.of()).build();
  }
}
