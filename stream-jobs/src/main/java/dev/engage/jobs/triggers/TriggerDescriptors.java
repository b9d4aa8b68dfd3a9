package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.RuleRecord;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The trigger operator's state, in one place: rules and how far they were read (broadcast), and per
 * customer the inputs held until then, the profile, the evaluation of each rule and when they are
 * evicted.
 */
final class TriggerDescriptors {
  private TriggerDescriptors() {}

  /** Current version of every rule, by id, on every task. */
  static final MapStateDescriptor<String, RuleRecord> RULES =
      new MapStateDescriptor<>("rules", Types.STRING, new AvroTypeInfo<>(RuleRecord.class));

  /**
   * How far the rules topic has been read, offset by partition, on every task: until it reaches
   * {@link RulesAtStart}, customers' inputs are held.
   */
  static final MapStateDescriptor<Integer, Long> RULES_READ =
      new MapStateDescriptor<>("rules-read", Types.INT, Types.LONG);

  /** Per customer: inputs that came before the rules had been read, in their order. */
  static final ListStateDescriptor<CustomerInput> HELD =
      new ListStateDescriptor<>("held-inputs", TypeInformation.of(CustomerInput.class));

  /** Per customer: the latest profile, for audiences, profile conditions and what changed. */
  static final ValueStateDescriptor<CustomerProfile> PROFILE =
      new ValueStateDescriptor<>("profile", new AvroTypeInfo<>(CustomerProfile.class));

  /**
   * Per customer who holds state: when (processing time) the eviction timer fires, the customer's
   * time-to-live after their last input.
   */
  static final ValueStateDescriptor<Long> EVICTION_TIMER =
      new ValueStateDescriptor<>("eviction-timer", Types.LONG);

  /** Per customer: evaluation state by rule id. */
  static final MapStateDescriptor<String, RuleEvaluationState> EVALUATION =
      new MapStateDescriptor<>(
          "rule-evaluation", Types.STRING, new AvroTypeInfo<>(RuleEvaluationState.class));
}
