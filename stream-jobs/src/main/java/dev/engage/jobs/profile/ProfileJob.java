package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The live profile: touchpoints keyed by customer, folded by {@link ProfileUpdater} into a new
 * profile version each. The caller passes the source and takes the output, so main and tests share
 * the wiring.
 */
public final class ProfileJob {
  private ProfileJob() {}

  public static SingleOutputStreamOperator<CustomerProfile> profiles(
      DataStream<Touchpoint> touchpoints) {
    return touchpoints
        .keyBy(Touchpoint::getCustomerId)
        .process(new ProfileUpdater(), new AvroTypeInfo<>(CustomerProfile.class))
        .uid("profile-updater")
        .name("update profiles");
  }
}
