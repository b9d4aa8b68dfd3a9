package dev.engage.jobs.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.DecisionState;
import dev.engage.avro.Notification;
import dev.engage.avro.RuleRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The decisions operator's state and side outputs, in one place: the definitions (broadcast), and
 * per customer the latest profile and what the operator remembers of them; notifications and
 * decision records leave beside the next-best-actions.
 */
public final class DecisionDescriptors {
  private DecisionDescriptors() {}

  /** Current version of every rule and offer, by id, on every task. */
  static final MapStateDescriptor<String, RuleRecord> DEFINITIONS =
      new MapStateDescriptor<>(
          "decision-definitions", Types.STRING, new AvroTypeInfo<>(RuleRecord.class));

  /** Per customer: the latest profile (consent, quiet hours, segments, offer eligibility). */
  static final ValueStateDescriptor<CustomerProfile> PROFILE =
      new ValueStateDescriptor<>("decision-profile", new AvroTypeInfo<>(CustomerProfile.class));

  /** Per customer: open actions, pending notifications, contact history, timers. */
  static final ValueStateDescriptor<DecisionState> STATE =
      new ValueStateDescriptor<>("decision-state", new AvroTypeInfo<>(DecisionState.class));

  /** Notifications decided for sending, for the exactly-once outbox. */
  public static final OutputTag<Notification> NOTIFICATIONS =
      new OutputTag<>("notifications", new AvroTypeInfo<>(Notification.class));

  /** Every decision with its candidates, scores and suppressions. */
  public static final OutputTag<Decision> DECISIONS =
      new OutputTag<>("decisions", new AvroTypeInfo<>(Decision.class));
}
