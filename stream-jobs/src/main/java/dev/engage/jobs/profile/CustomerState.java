package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * One customer's keyed state in the profile operator and how it ends: the profile state while the
 * customer is active, the last version once it was retired (time-to-live, merge), the survivor of a
 * merge, the eviction timer that moves forward as the customer is touched, and the valuation timer
 * that ages the profile ({@link ProfileAging}).
 */
final class CustomerState {
  private static final Duration TIMER_GRANULARITY = Duration.ofMinutes(1);

  private final Duration timeToLive;
  private final ValueState<ProfileState> state;
  private final ValueState<Long> retiredVersion;
  private final ValueState<Long> evictionTimer;
  private final ValueState<String> mergedInto;
  private final ValueState<Long> valuationTimer;

  CustomerState(RuntimeContext context, Duration timeToLive) {
    this.timeToLive = timeToLive;
    state = context.getState(ProfileDescriptors.STATE);
    retiredVersion = context.getState(ProfileDescriptors.RETIRED_VERSION);
    evictionTimer = context.getState(ProfileDescriptors.EVICTION_TIMER);
    mergedInto = context.getState(ProfileDescriptors.MERGED_INTO);
    valuationTimer = context.getState(ProfileDescriptors.VALUATION_TIMER);
  }

  /** The profile state kept for the customer; null when new, evicted or merged away. */
  ProfileState kept() throws Exception {
    return state.value();
  }

  /** Whether a customer without kept state dropped out by time-to-live, so Redis has them. */
  boolean awaitsReload() throws Exception {
    return retiredVersion.value() != null && mergedInto.value() == null;
  }

  /** The kept state, or a new one whose versions go on from the retired version. */
  ProfileState keptOrNew(ProfileState kept, String customerId, Instant firstSeen) throws Exception {
    if (kept != null) {
      return kept;
    }
    ProfileState fresh = ProfileBuilder.newState(customerId, firstSeen);
    Long retired = retiredVersion.value();
    if (retired != null) { // merged away, or not in Redis: versions go on from where they were
      fresh.getProfile().setVersion(retired);
    }
    return fresh;
  }

  /** The last version emitted before the state went, 0 if none. */
  long retiredVersion() throws Exception {
    Long retired = retiredVersion.value();
    return retired != null ? retired : 0;
  }

  /** Keeps the state (a profile reloaded from Redis) without emitting a version. */
  void keep(ProfileState reloaded) throws Exception {
    state.update(reloaded);
  }

  /** Keeps the state and emits it as a new profile version caused by what was received then. */
  void emit(ProfileState current, Instant causeReceivedAt, Collector<CustomerProfile> out)
      throws Exception {
    current.getProfile().setUpdatedAt(causeReceivedAt);
    state.update(current);
    out.collect(CustomerProfile.newBuilder(current.getProfile()).build());
  }

  /** Drops the state, remembering the last version so the next one is newer. */
  void retire(long version) throws Exception {
    state.clear();
    retiredVersion.update(version);
    evictionTimer.clear(); // a timer still armed finds nothing to evict
    valuationTimer.clear(); // nor anything to value
  }

  /** Retires the id for good: it lives on in the survivor and is never reloaded. */
  void mergeInto(long forwarderVersion, String survivor) throws Exception {
    retire(forwarderVersion);
    mergedInto.update(survivor);
  }

  /** Forgets everything about the customer (an erasure), timer included. */
  void forget(TimerService timers) throws Exception {
    Long timer = evictionTimer.value();
    if (timer != null) {
      timers.deleteProcessingTimeTimer(timer);
    }
    Long valuation = valuationTimer.value();
    if (valuation != null) {
      timers.deleteEventTimeTimer(valuation);
    }
    state.clear();
    retiredVersion.clear();
    mergedInto.clear();
    evictionTimer.clear();
    valuationTimer.clear();
  }

  /**
   * (Re)arms the customer's eviction timer, rounded up to the minute (or to the time-to-live, when
   * shorter) so most touches keep the armed one.
   */
  void keepAlive(TimerService timers) throws Exception {
    long now = timers.currentProcessingTime();
    long granularity = Math.min(TIMER_GRANULARITY.toMillis(), timeToLive.toMillis());
    long due = ((now + timeToLive.toMillis()) / granularity + 1) * granularity;
    Long armed = evictionTimer.value();
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      timers.deleteProcessingTimeTimer(armed);
    }
    timers.registerProcessingTimeTimer(due);
    evictionTimer.update(due);
  }

  /** Retires the customer if this is their eviction timer; whether it was. */
  boolean evictIfDue(long timestamp) throws Exception {
    Long due = evictionTimer.value();
    if (due == null || due != timestamp) {
      return false;
    }
    ProfileState current = state.value();
    if (current == null) {
      return false;
    }
    retire(current.getProfile().getVersion());
    return true;
  }

  /** When the armed valuation timer fires (event time); null when none is armed. */
  Long valuationTimer() throws Exception {
    return valuationTimer.value();
  }

  /** Arms the valuation timer at {@code due}, in place of one armed at another time. */
  void armValuation(TimerService timers, long due) throws Exception {
    Long armed = valuationTimer.value();
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      timers.deleteEventTimeTimer(armed);
    }
    timers.registerEventTimeTimer(due);
    valuationTimer.update(due);
  }

  /** Deletes the armed valuation timer: the customer is valued no more until a new touchpoint. */
  void disarmValuation(TimerService timers) throws Exception {
    Long armed = valuationTimer.value();
    if (armed != null) {
      timers.deleteEventTimeTimer(armed);
      valuationTimer.clear();
    }
  }

  /** Forgets the valuation timer that just fired. */
  void valuationFired() {
    valuationTimer.clear();
  }
}
