package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.triggers.RuleChange;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The live profile: touchpoints, identity merges, merged-in states and erasures keyed by customer,
 * with the published segments and scoring model broadcast beside them, folded by {@link
 * ProfileUpdater} into a new profile version per change. The caller passes the sources and takes
 * the outputs (the profiles, and {@link #transfers} for the {@code profile.transfers} topic), so
 * main and tests share the wiring.
 */
public final class ProfileJob {
  private ProfileJob() {}

  public static SingleOutputStreamOperator<CustomerProfile> profiles(
      DataStream<Touchpoint> touchpoints,
      DataStream<IdentityMerge> merges,
      DataStream<ProfileTransfer> transfers,
      DataStream<ErasureRequest> erasures,
      DataStream<RuleChange> definitions,
      URI redisUri,
      Duration timeToLive) {
    TypeInformation<ProfileInput> input = TypeInformation.of(ProfileInput.class);
    return touchpoints
        .map(ProfileInput::of, input)
        .name("touchpoint as input")
        .union(
            merges.map(ProfileInput::of, input).name("merge as input"),
            transfers.map(ProfileInput::of, input).name("transfer as input"),
            erasures.map(ProfileInput::of, input).name("erasure as input"))
        .keyBy(ProfileInput::customerId)
        .connect(definitions.broadcast(ProfileDescriptors.DEFINITIONS))
        .process(
            new ProfileUpdater(redisUri, timeToLive), new AvroTypeInfo<>(CustomerProfile.class))
        .uid("profile-updater")
        .name("update profiles");
  }

  /**
   * Erasures of the ids once merged into an erased customer (their forwarding profiles), which the
   * caller sends back to the erasure topic: an erasure reaches all of a person's ids.
   */
  public static DataStream<ErasureRequest> cascadedErasures(
      SingleOutputStreamOperator<CustomerProfile> profiles) {
    return profiles.getSideOutput(ProfileDescriptors.CASCADED_ERASURES);
  }

  /** The merged-away states the profile operator sends to their survivors. */
  public static DataStream<ProfileTransfer> transfers(
      SingleOutputStreamOperator<CustomerProfile> profiles) {
    return profiles.getSideOutput(ProfileDescriptors.TRANSFERS);
  }
}
