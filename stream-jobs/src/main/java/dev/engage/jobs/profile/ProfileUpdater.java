package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.jobs.redis.RedisProfiles;
import dev.engage.jobs.triggers.RuleChange;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Keeps each customer's profile (keyed by customer id) and emits a new version of it whenever it
 * changes: for every touchpoint ({@link ProfileBuilder}, {@link ScoreActivity}), when another id is
 * merged into it, and when a published segment or scoring model changes its segments or score
 * ({@link ProfileDefinitions}, re-applied to every customer at once).
 *
 * <p>Merges take two steps because state is keyed: the {@link IdentityMerge} reaches the id that
 * stops existing, which sends its whole state to the survivor as a {@link ProfileTransfer} (side
 * output {@link ProfileDescriptors#TRANSFERS}, through the {@code profile.transfers} topic) and
 * leaves a forwarding profile ({@code mergedInto}); the survivor folds the state in once ({@link
 * ProfileMerge}).
 *
 * <p>Customers untouched for {@code timeToLive} (processing time) drop out of state; their profile
 * stays in Redis and the profiles topic, and their next touchpoint reloads it from Redis. Versions
 * keep increasing across the gap, so no write is refused as stale.
 *
 * <p><b>What bounds its state.</b> The profile state and its eviction timer go after {@code
 * timeToLive}, or when the id is merged away (the state travels to the survivor) or erased. Two
 * small markers stay for good, ended by an erasure only: the retired version (8 bytes per customer
 * whose state went, so the next version is newer than Redis's and a reload is tried) and, for an id
 * merged away, the survivor's id (so it is never reloaded). They grow with the customers ever seen,
 * as Redis and the compacted profiles topic do; ending them would need a Redis read for every
 * customer the job does not know, on the per-event path ({@code ProfileUpdaterTest}).
 *
 * <p>{@code updatedAt} is the receivedAt of what caused the version (or the publication time of the
 * definition), not the wall clock, so replaying the same input gives the same profiles.
 */
final class ProfileUpdater
    extends KeyedBroadcastProcessFunction<String, ProfileInput, RuleChange, CustomerProfile> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdater.class);
  private static final Duration TIMER_GRANULARITY = Duration.ofMinutes(1);

  private final URI redisUri;
  private final Duration timeToLive;
  // Redis failing is no fault of the record: the job restarts and reads it again
  private final DeadLetterOutput deadLetters =
      new DeadLetterOutput("profile-updater", JedisException.class);

  private transient ValueState<ProfileState> state;
  private transient ValueState<Long> retiredVersion;
  private transient ValueState<Long> evictionTimer;
  private transient ValueState<String> mergedInto;
  private transient ProfileDefinitions definitions;
  private transient boolean definitionsLoaded;
  private transient JedisPooled redis;
  private transient RedisProfiles redisProfiles;
  private transient Counter evicted;
  private transient Counter reloaded;
  private transient Counter reloadMisses;
  private transient Counter merges;
  private transient Counter erasures;

  ProfileUpdater(URI redisUri, Duration timeToLive) {
    this.redisUri = redisUri;
    this.timeToLive = timeToLive;
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(ProfileDescriptors.STATE);
    retiredVersion = getRuntimeContext().getState(ProfileDescriptors.RETIRED_VERSION);
    evictionTimer = getRuntimeContext().getState(ProfileDescriptors.EVICTION_TIMER);
    mergedInto = getRuntimeContext().getState(ProfileDescriptors.MERGED_INTO);
    var metrics = getRuntimeContext().getMetricGroup();
    definitions = new ProfileDefinitions(metrics.counter("invalidDefinitions"));
    evicted = metrics.counter("profilesEvicted");
    reloaded = metrics.counter("profilesReloaded");
    reloadMisses = metrics.counter("profileReloadMisses");
    merges = metrics.counter("profilesMerged");
    erasures = metrics.counter("profilesErased");
    deadLetters.open(metrics);
    redis = new JedisPooled(redisUri);
    redisProfiles = new RedisProfiles(redis);
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  public void processElement(
      ProfileInput input, ReadOnlyContext ctx, Collector<CustomerProfile> out) throws Exception {
    deadLetters.guard(input, ctx.getCurrentKey(), ctx::output, () -> route(input, ctx, out));
  }

  private void route(ProfileInput input, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    if (!definitionsLoaded) { // after a start or restore: compile what the broadcast state holds
      refreshDefinitions(ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS));
    }
    if (input.touchpoint != null) {
      onTouchpoint(input.touchpoint, ctx, out);
    } else if (input.merge != null) {
      onMergedAway(input.merge, ctx, out);
    } else if (input.transfer != null) {
      onMergedIn(input.transfer, ctx, out);
    } else {
      onErasure(input.erasure, ctx, out);
    }
  }

  private void onTouchpoint(Touchpoint event, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current = current(event.getCustomerId(), event.getOccurredAt());
    ProfileBuilder.apply(current, event);
    ScoreActivity.record(current.getScoreActivity(), event, definitions.halfLife());
    definitions.classify(current);
    emit(current, event.getReceivedAt(), out);
    keepAlive(ctx);
  }

  /** This id stops existing: its state goes to the survivor, a forwarding profile stays. */
  private void onMergedAway(
      IdentityMerge merge, ReadOnlyContext ctx, Collector<CustomerProfile> out) throws Exception {
    ProfileState current = stateOrReload(merge.getFrom());
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
    retire(forwarder.getVersion());
    mergedInto.update(merge.getInto());
  }

  /**
   * The customer asked to be forgotten (GDPR): all state about them goes, and a last version marked
   * {@code erasedAt} tells the sinks to drop them too (a tombstone on the profiles topic, every key
   * deleted in Redis). It follows their last version, so nothing older in flight outlives it. The
   * ids once merged into them are erased in turn, through the erasure topic.
   */
  private void onErasure(
      ErasureRequest erasure, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current = stateOrReload(erasure.getCustomerId()); // its identities, if evicted
    Long retired = retiredVersion.value();
    long last = current != null ? current.getProfile().getVersion() : retired != null ? retired : 0;
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
    Long timer = evictionTimer.value();
    if (timer != null) {
      ctx.timerService().deleteProcessingTimeTimer(timer);
    }
    state.clear();
    retiredVersion.clear();
    mergedInto.clear();
    evictionTimer.clear();
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

  private void onMergedIn(
      ProfileTransfer transfer, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    ProfileState current =
        current(transfer.getInto(), transfer.getState().getProfile().getFirstSeen());
    if (ProfileMerge.alreadyMerged(current, transfer.getFrom())) {
      return; // a replayed transfer
    }
    ProfileMerge.fold(current, transfer.getFrom(), transfer.getState(), definitions.halfLife());
    definitions.classify(current);
    current.getProfile().setVersion(current.getProfile().getVersion() + 1);
    current.getProfile().setLastCause(transfer.getCause());
    emit(current, transfer.getCause().getReceivedAt(), out);
    merges.inc();
    keepAlive(ctx);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    Long due = evictionTimer.value();
    if (due == null || due != timestamp) {
      return;
    }
    ProfileState current = state.value();
    if (current != null) {
      retire(current.getProfile().getVersion());
      evicted.inc();
    }
  }

  @Override
  public void processBroadcastElement(
      RuleChange change, Context ctx, Collector<CustomerProfile> out) throws Exception {
    deadLetters.guard(change, change.id, ctx::output, () -> onDefinition(change, ctx, out));
  }

  private void onDefinition(RuleChange change, Context ctx, Collector<CustomerProfile> out)
      throws Exception {
    BroadcastState<String, RuleRecord> published =
        ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS);
    RuleRecord known = published.get(change.id);
    if (change.isDeletion()) {
      if (known == null) {
        return;
      }
      published.remove(change.id);
    } else if (!ProfileDefinitions.KINDS.contains(change.record.getKind())
        || (known != null
            && known.getVersion() == change.record.getVersion()
            && known.getEnabled() == change.record.getEnabled())) {
      return; // a trigger rule, or a version already applied (the topic is re-read on start)
    } else {
      published.put(change.id, change.record);
    }
    refreshDefinitions(published);
    Cause cause = definitionCause(change, known);
    int[] changed = {0};
    ctx.applyToKeyedState(
        ProfileDescriptors.STATE,
        (customer, customerState) -> {
          ProfileState current = customerState.value();
          if (current != null && definitions.classify(current)) {
            current.getProfile().setLastCause(cause);
            current.getProfile().setVersion(current.getProfile().getVersion() + 1);
            current.getProfile().setUpdatedAt(cause.getReceivedAt());
            customerState.update(current);
            out.collect(CustomerProfile.newBuilder(current.getProfile()).build());
            changed[0]++;
          }
        });
    LOG.info("Definition {} applied; {} profiles changed", change.id, changed[0]);
  }

  private void refreshDefinitions(ReadOnlyBroadcastState<String, RuleRecord> published)
      throws Exception {
    definitions.refresh(published.immutableEntries());
    definitionsLoaded = true;
  }

  private static Cause definitionCause(RuleChange change, RuleRecord before) {
    if (change.isDeletion()) {
      return new Cause(
          change.id + "/deleted", before.getKind() + "_deleted", before.getUpdatedAt());
    }
    RuleRecord record = change.record;
    return new Cause(
        record.getId() + "/" + record.getVersion(),
        record.getKind() + "_published",
        record.getUpdatedAt());
  }

  /** The customer's state: kept, reloaded after eviction, or new. */
  private ProfileState current(String customerId, Instant firstSeen) throws Exception {
    ProfileState current = stateOrReload(customerId);
    if (current == null) {
      current = ProfileBuilder.newState(customerId, firstSeen);
      Long retired = retiredVersion.value();
      if (retired != null) { // merged away, or not in Redis: versions go on from where they were
        current.getProfile().setVersion(retired);
      }
    }
    return current;
  }

  private ProfileState stateOrReload(String customerId) throws Exception {
    ProfileState current = state.value();
    if (current != null || retiredVersion.value() == null || mergedInto.value() != null) {
      return current;
    }
    Optional<CustomerProfile> stored = redisProfiles.read(customerId);
    if (stored.isEmpty()) {
      reloadMisses.inc();
      LOG.warn(
          "Profile of {} dropped out of state but is not in Redis; it starts again"
              + " (run engage rebuild-redis after losing Redis)",
          customerId);
      return null;
    }
    reloaded.inc();
    ProfileState reloadedState = ProfileBuilder.newState(customerId, stored.get().getFirstSeen());
    reloadedState.setProfile(stored.get());
    ProfileBuilder.refreshDerived(reloadedState);
    return reloadedState;
  }

  private void emit(ProfileState current, Instant causeReceivedAt, Collector<CustomerProfile> out)
      throws Exception {
    current.getProfile().setUpdatedAt(causeReceivedAt);
    state.update(current);
    out.collect(CustomerProfile.newBuilder(current.getProfile()).build());
  }

  private void retire(long version) throws Exception {
    state.clear();
    retiredVersion.update(version);
    evictionTimer.clear(); // a timer still armed finds nothing to evict
  }

  /**
   * (Re)arms the customer's eviction timer, rounded up to the minute (or to the time-to-live, when
   * shorter) so most touches keep the armed one.
   */
  private void keepAlive(ReadOnlyContext ctx) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    long granularity = Math.min(TIMER_GRANULARITY.toMillis(), timeToLive.toMillis());
    long due = ((now + timeToLive.toMillis()) / granularity + 1) * granularity;
    Long armed = evictionTimer.value();
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      ctx.timerService().deleteProcessingTimeTimer(armed);
    }
    ctx.timerService().registerProcessingTimeTimer(due);
    evictionTimer.update(due);
  }
}
