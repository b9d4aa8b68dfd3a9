package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import dev.engage.avro.Touchpoint;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/** Folds a touchpoint into its customer's profile: activity, score, segments, a new version. */
final class TouchpointFold {
  private final CustomerState customer;
  private final ProfileDefinitions definitions;
  private final ProfileAging aging;

  TouchpointFold(CustomerState customer, ProfileDefinitions definitions, ProfileAging aging) {
    this.customer = customer;
    this.definitions = definitions;
    this.aging = aging;
  }

  void fold(
      Touchpoint event, ProfileState kept, TimerService timers, Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current = customer.keptOrNew(kept, event.getCustomerId(), event.getOccurredAt());
    aging.catchUp(current, event.getOccurredAt(), timers, out);
    ProfileBuilder.apply(current, event);
    ScoreActivity.record(current.getScoreActivity(), event, definitions.halfLife());
    definitions.classify(current);
    customer.emit(current, event.getReceivedAt(), out);
    customer.keepAlive(timers);
    aging.follow(current, timers);
  }
}
