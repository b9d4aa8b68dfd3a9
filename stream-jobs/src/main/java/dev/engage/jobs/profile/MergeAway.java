package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ProfileTransfer;
import org.apache.flink.util.Collector;

/**
 * An id that stops existing: its whole state goes to the survivor as a {@link ProfileTransfer}
 * (side output {@link ProfileDescriptors#TRANSFERS}) and a forwarding profile ({@code mergedInto})
 * stays.
 */
final class MergeAway {
  private final CustomerState customer;

  MergeAway(CustomerState customer) {
    this.customer = customer;
  }

  void send(
      IdentityMerge merge,
      ProfileState current,
      ProfileUpdater.ReadOnlyContext ctx,
      Collector<CustomerProfile> out)
      throws Exception {
    if (current == null) {
      return; // nothing known about it (or merged already): nothing to fold
    }
    Cause cause = new Cause(merge.getEventId(), "identity_merge", merge.getCause().getReceivedAt());
    ctx.output(
        ProfileDescriptors.TRANSFERS,
        new ProfileTransfer(merge.getFrom(), merge.getInto(), cause, current));
    CustomerProfile old = current.getProfile();
    CustomerProfile forwarder =
        CustomerProfile.newBuilder()
            .setCustomerId(old.getCustomerId())
            .setVersion(old.getVersion() + 1)
            .setFirstSeen(old.getFirstSeen())
            .setLastSeen(old.getLastSeen())
            .setUpdatedAt(cause.getReceivedAt())
            .setLastCause(cause)
            .setMergedInto(merge.getInto())
            .build();
    out.collect(forwarder);
    customer.mergeInto(forwarder.getVersion(), merge.getInto());
  }
}
