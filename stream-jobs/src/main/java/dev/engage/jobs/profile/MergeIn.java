package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ProfileTransfer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/** The survivor of a merge folds the merged id's state in once ({@link ProfileMerge}). */
final class MergeIn {
  private final CustomerState customer;
  private final ProfileDefinitions definitions;
  private final ProfileAging aging;
  private final Counter merges;

  MergeIn(
      CustomerState customer, ProfileDefinitions definitions, ProfileAging aging, Counter merges) {
    this.customer = customer;
    this.definitions = definitions;
    this.aging = aging;
    this.merges = merges;
  }

  void fold(
      ProfileTransfer transfer,
      ProfileState kept,
      TimerService timers,
      Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current =
        customer.keptOrNew(
            kept, transfer.getInto(), transfer.getState().getProfile().getFirstSeen());
    if (ProfileMerge.alreadyMerged(current, transfer.getFrom())) {
      return; // a replayed transfer
    }
    ProfileMerge.fold(current, transfer.getFrom(), transfer.getState(), definitions.halfLife());
    definitions.classify(current);
    current.getProfile().setVersion(current.getProfile().getVersion() + 1);
    current.getProfile().setLastCause(transfer.getCause());
    customer.emit(current, transfer.getCause().getReceivedAt(), out);
    merges.inc();
    customer.keepAlive(timers);
    aging.follow(current, timers);
  }
}
