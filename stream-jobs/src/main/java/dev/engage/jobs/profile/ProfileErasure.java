package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.ProfileState;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * The customer asked to be forgotten (GDPR): all state about them goes, and a last version marked
 * {@code erasedAt} tells the sinks to drop them too (a tombstone on the profiles topic, every key
 * deleted in Redis). It follows their last version, so nothing older in flight outlives it. The ids
 * once merged into them are erased in turn, through the erasure topic.
 */
final class ProfileErasure {
  private final CustomerState customer;
  private final Counter erasures;

  ProfileErasure(CustomerState customer, Counter erasures) {
    this.customer = customer;
    this.erasures = erasures;
  }

  void erase(
      ErasureRequest erasure,
      ProfileState current,
      ProfileUpdater.ReadOnlyContext ctx,
      Collector<CustomerProfile> out)
      throws Exception {
    long last = current != null ? current.getProfile().getVersion() : customer.retiredVersion();
    if (current != null) {
      for (String mergedId : current.getMergedFrom()) {
        ctx.output(
            ProfileDescriptors.CASCADED_ERASURES,
            new ErasureRequest(
                erasure.getRequestId() + "/" + mergedId,
                mergedId,
                erasure.getRequestedBy(),
                erasure.getRequestedAt()));
      }
    }
    customer.forget(ctx.timerService());
    Instant at = erasure.getRequestedAt();
    out.collect(
        ErasedProfile.of(
            erasure.getCustomerId(),
            last + 1,
            at,
            new Cause(erasure.getRequestId(), "erasure", at),
            current != null ? current.getProfile().getIdentities() : Map.of()));
    erasures.inc();
  }
}
