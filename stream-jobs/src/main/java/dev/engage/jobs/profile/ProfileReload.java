package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back from Redis a customer who dropped out of state (time-to-live), without holding up
 * anyone else: their inputs are held in keyed state, in their order, while {@link
 * AsyncProfileReads} asks Redis, and a processing-time timer looks for the answer (sooner while the
 * read is young, at most every {@link #LONGEST_LOOK_MILLIS}). Held inputs and the timer are
 * checkpointed, the read is not: after a restore the timer finds no read and asks again.
 *
 * <p>What bounds its state: a customer's held inputs go as soon as Redis answers, so they are the
 * inputs of one Redis round trip; a Redis that does not answer fails the read and with it the job.
 */
final class ProfileReload {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileReload.class);
  private static final long LONGEST_LOOK_MILLIS = 50;

  private final ListState<ProfileInput> held;
  private final AsyncProfileReads reads;
  private final Counter reloaded;
  private final Counter misses;

  /** The customer's state as Redis had it (null when it had none) and the inputs held meanwhile. */
  record Reloaded(ProfileState state, List<ProfileInput> held) {}

  ProfileReload(RuntimeContext context, AsyncProfileReads reads) {
    this.reads = reads;
    held = context.getListState(ProfileDescriptors.HELD_FOR_RELOAD);
    var metrics = context.getMetricGroup();
    reloaded = metrics.counter("profilesReloaded");
    misses = metrics.counter("profileReloadMisses");
  }

  /** Holds the input until the customer is reloaded, asking Redis with the first one. */
  void hold(String customerId, ProfileInput input, TimerService timers) throws Exception {
    if (!isUnderWay()) {
      long now = timers.currentProcessingTime();
      reads.of(customerId, now);
      timers.registerProcessingTimeTimer(now + 1);
    }
    held.add(input);
  }

  boolean isUnderWay() throws Exception {
    Iterable<ProfileInput> inputs = held.get();
    return inputs != null && inputs.iterator().hasNext();
  }

  /**
   * On the customer's timer: once Redis has answered, what it had and the held inputs (no longer
   * held); until then, empty, with the timer armed again.
   */
  Optional<Reloaded> answered(String customerId, TimerService timers) throws Exception {
    long now = timers.currentProcessingTime();
    AsyncProfileReads.Read read = reads.of(customerId, now);
    if (!read.answer().isDone()) {
      long wait = Math.min(LONGEST_LOOK_MILLIS, Math.max(1, (now - read.askedAt()) / 2));
      timers.registerProcessingTimeTimer(now + wait);
      return Optional.empty();
    }
    reads.forget(customerId);
    Optional<CustomerProfile> stored = read.answer().join(); // a failed read fails here
    List<ProfileInput> inputs = new ArrayList<>();
    held.get().forEach(inputs::add);
    held.clear();
    return Optional.of(new Reloaded(stateOf(customerId, stored), inputs));
  }

  private ProfileState stateOf(String customerId, Optional<CustomerProfile> stored) {
    if (stored.isEmpty()) {
      misses.inc();
      LOG.warn(
          "Profile of {} dropped out of state but is not in Redis; it starts again"
              + " (run engage rebuild-redis after losing Redis)",
          customerId);
      return null;
    }
    reloaded.inc();
    ProfileState state = ProfileBuilder.newState(customerId, stored.get().getFirstSeen());
    state.setProfile(stored.get());
    ProfileBuilder.refreshDerived(state);
    return state;
  }
}
