package dev.engage.jobs.decisions;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.DecisionState;
import dev.engage.avro.Notification;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.RuleRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The decisions operator's state and side outputs, in one place: the definitions and the propensity
 * counts (broadcast), and per customer the latest profile and what the operator remembers of them;
 * notifications, outcomes and decision records leave beside the next-best-actions.
 */
public final class DecisionDescriptors {
  private DecisionDescriptors() {}

  /** Current version of every rule and offer, by id, on every task. */
  static final MapStateDescriptor<String, RuleRecord> DEFINITIONS =
      new MapStateDescriptor<>(
          "decision-definitions", Types.STRING, new AvroTypeInfo<>(RuleRecord.class));

  /** The propensity counts of every action in every segment, by {@code CODE|segment}. */
  static final MapStateDescriptor<String, PropensityCounts> PROPENSITIES =
      new MapStateDescriptor<>(
          "decision-propensities", Types.STRING, new AvroTypeInfo<>(PropensityCounts.class));

  /** Per customer: the latest profile (consent, quiet hours, segments, offer eligibility). */
  static final ValueStateDescriptor<CustomerProfile> PROFILE =
      new ValueStateDescriptor<>("decision-profile", new AvroTypeInfo<>(CustomerProfile.class));

  /**
   * Per customer with a profile: when (processing time) it is dropped, the profile time-to-live
   * after its last version.
   */
  static final ValueStateDescriptor<Long> PROFILE_EVICTION =
      new ValueStateDescriptor<>("decision-profile-eviction", Types.LONG);

  /** Per customer: open actions, pending notifications, contact history, timers. */
  static final ValueStateDescriptor<DecisionState> STATE =
      new ValueStateDescriptor<>("decision-state", new AvroTypeInfo<>(DecisionState.class));

  /** Notifications decided for sending, for the exactly-once outbox. */
  public static final OutputTag<Notification> NOTIFICATIONS =
      new OutputTag<>("notifications", new AvroTypeInfo<>(Notification.class));

  /** What customers did with actions (accepted, dismissed, expired), for the propensities. */
  public static final OutputTag<ActionOutcome> OUTCOMES =
      new OutputTag<>("outcomes", new AvroTypeInfo<>(ActionOutcome.class));

  /** Every decision with its candidates, scores and suppressions. */
  public static final OutputTag<Decision> DECISIONS =
      new OutputTag<>("decisions", new AvroTypeInfo<>(Decision.class));
}
