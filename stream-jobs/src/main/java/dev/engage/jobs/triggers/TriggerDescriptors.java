package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.RuleRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The trigger operator's state, in one place: rules (broadcast), and per customer the profile and
 * the evaluation of each rule.
 */
final class TriggerDescriptors {
  private TriggerDescriptors() {}

  /** Current version of every rule, by id, on every task. */
  static final MapStateDescriptor<String, RuleRecord> RULES =
      new MapStateDescriptor<>("rules", Types.STRING, new AvroTypeInfo<>(RuleRecord.class));

  /** Per customer: the latest profile, for audiences, profile conditions and what changed. */
  static final ValueStateDescriptor<CustomerProfile> PROFILE =
      new ValueStateDescriptor<>("profile", new AvroTypeInfo<>(CustomerProfile.class));

  /** Per customer: evaluation state by rule id. */
  static final MapStateDescriptor<String, RuleEvaluationState> EVALUATION =
      new MapStateDescriptor<>(
          "rule-evaluation", Types.STRING, new AvroTypeInfo<>(RuleEvaluationState.class));
}
