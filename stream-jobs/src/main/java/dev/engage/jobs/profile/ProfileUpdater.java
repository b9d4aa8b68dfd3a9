package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import dev.engage.avro.Touchpoint;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each customer's profile (keyed by customer id) and emits a new version of it for every
 * touchpoint ({@link ProfileBuilder}). The state is Avro ({@code ProfileState}): the profile plus
 * at most 60 + 168 + 30 activity buckets, so it stays bounded however active the customer is.
 */
final class ProfileUpdater extends KeyedProcessFunction<String, Touchpoint, CustomerProfile> {
  private static final long serialVersionUID = 1L;

  static final ValueStateDescriptor<ProfileState> STATE =
      new ValueStateDescriptor<>("profile-state", new AvroTypeInfo<>(ProfileState.class));

  private transient ValueState<ProfileState> state;

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(STATE);
  }

  @Override
  public void processElement(Touchpoint event, Context ctx, Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current = state.value();
    if (current == null) {
      current = ProfileBuilder.newState(event.getCustomerId(), event.getOccurredAt());
    }
    ProfileBuilder.apply(current, event);
    current.getProfile().setUpdatedAt(Instant.now());
    state.update(current);
    out.collect(CustomerProfile.newBuilder(current.getProfile()).build());
  }
}
