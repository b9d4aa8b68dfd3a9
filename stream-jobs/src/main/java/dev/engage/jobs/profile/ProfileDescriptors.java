package dev.engage.jobs.profile;

import dev.engage.avro.ErasureRequest;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.RuleRecord;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The profile operator's state and side output, in one place. */
final class ProfileDescriptors {
  private ProfileDescriptors() {}

  /** Per customer: the profile and what its windows and score are computed from. */
  static final ValueStateDescriptor<ProfileState> STATE =
      new ValueStateDescriptor<>("profile-state", new AvroTypeInfo<>(ProfileState.class));

  /**
   * Per customer whose state was dropped (time-to-live) or merged away: the last version emitted,
   * so the next one is newer. Eight bytes where the profile was. Read only while the state is empty
   * and overwritten by the next retirement, so a customer who came back keeps it rather than
   * deleting it with every event.
   */
  static final ValueStateDescriptor<Long> RETIRED_VERSION =
      new ValueStateDescriptor<>("retired-version", Types.LONG);

  /** Per customer id merged away: the survivor's id. Such an id is never reloaded from Redis. */
  static final ValueStateDescriptor<String> MERGED_INTO =
      new ValueStateDescriptor<>("merged-into", Types.STRING);

  /** Per customer: when the armed valuation timer fires (event time, {@link ProfileAging}). */
  static final ValueStateDescriptor<Long> VALUATION_TIMER =
      new ValueStateDescriptor<>("valuation-timer", Types.LONG);

  /** Per customer: when the armed eviction timer fires (processing time). */
  static final ValueStateDescriptor<Long> EVICTION_TIMER =
      new ValueStateDescriptor<>("eviction-timer", Types.LONG);

  /**
   * Per customer being reloaded from Redis: the inputs that came meanwhile, in their order ({@link
   * ProfileReload}).
   */
  static final ListStateDescriptor<ProfileInput> HELD_FOR_RELOAD =
      new ListStateDescriptor<>("held-for-reload", TypeInformation.of(ProfileInput.class));

  /** Published segments and scoring models by id, on every task (trigger rules are not kept). */
  static final MapStateDescriptor<String, RuleRecord> DEFINITIONS =
      new MapStateDescriptor<>(
          "profile-definitions", Types.STRING, new AvroTypeInfo<>(RuleRecord.class));

  /** Erasures of the ids merged into an erased customer, on their way back to the erasure topic. */
  static final OutputTag<ErasureRequest> CASCADED_ERASURES =
      new OutputTag<>("cascaded-erasures", new AvroTypeInfo<>(ErasureRequest.class));

  /** States of merged-away customers, on their way to the survivor. */
  static final OutputTag<ProfileTransfer> TRANSFERS =
      new OutputTag<>("profile-transfers", new AvroTypeInfo<>(ProfileTransfer.class));
}
