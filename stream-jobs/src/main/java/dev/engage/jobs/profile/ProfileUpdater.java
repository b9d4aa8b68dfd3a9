package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ProfileTransfer;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.jobs.triggers.RuleChange;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Keeps each customer's profile (keyed by customer id) and emits a new version of it whenever it
 * changes. It routes each input to the class that handles it: a touchpoint to {@link
 * TouchpointFold}, a merge of this id into another to {@link MergeAway}, the state of an id merged
 * into this one to {@link MergeIn}, an erasure to {@link ProfileErasure}, and a published segment
 * or scoring model to {@link DefinitionChanges}; the customer's state and its time-to-live are
 * {@link CustomerState}'s, and {@link ProfileAging} values quiet customers again as event time
 * moves.
 *
 * <p>Merges take two steps because state is keyed: the {@link IdentityMerge} reaches the id that
 * stops existing, which sends its whole state to the survivor as a {@link ProfileTransfer} (side
 * output {@link ProfileDescriptors#TRANSFERS}, through the {@code profile.transfers} topic); the
 * survivor folds it in once.
 *
 * <p>Customers untouched for {@code timeToLive} (processing time) drop out of state; their profile
 * stays in Redis and the profiles topic. Their next input is held while {@link ProfileReload} reads
 * the profile back from Redis off the operator's thread, so other customers' inputs go on; the held
 * inputs are then handled in their order. Versions keep increasing across the gap, so no write is
 * refused as stale.
 *
 * <p><b>What bounds its state.</b> The profile state and its eviction and valuation timers go after
 * {@code timeToLive}, or when the id is merged away (the state travels to the survivor) or erased;
 * inputs held for a reload go once Redis answers. Two small markers stay for good, ended by an
 * erasure only: the retired version (8 bytes per customer whose state went, so the next version is
 * newer than Redis's and a reload is tried) and, for an id merged away, the survivor's id (so it is
 * never reloaded). They grow with the customers ever seen, as Redis and the compacted profiles
 * topic do ({@code ProfileUpdaterTest}).
 *
 * <p>{@code updatedAt} is the receivedAt of what caused the version (or the publication time of the
 * definition), not the wall clock, so replaying the same input gives the same profiles.
 */
final class ProfileUpdater
    extends KeyedBroadcastProcessFunction<String, ProfileInput, RuleChange, CustomerProfile> {
  private static final long serialVersionUID = 1L;

  private final URI redisUri;
  private final Duration timeToLive;
  // Redis failing is no fault of the record: the job restarts and reads it again
  private final DeadLetterOutput deadLetters =
      new DeadLetterOutput("profile-updater", JedisException.class);

  private transient CustomerState customer;
  private transient AsyncProfileReads reads;
  private transient ProfileReload reload;
  private transient DefinitionChanges definitionChanges;
  private transient TouchpointFold touchpoints;
  private transient MergeAway mergeAway;
  private transient MergeIn mergeIn;
  private transient ProfileErasure erasure;
  private transient ProfileAging aging;
  private transient Counter evicted;

  ProfileUpdater(URI redisUri, Duration timeToLive) {
    this.redisUri = redisUri;
    this.timeToLive = timeToLive;
  }

  @Override
  public void open(OpenContext context) {
    var runtime = getRuntimeContext();
    var metrics = runtime.getMetricGroup();
    ProfileDefinitions definitions = new ProfileDefinitions(metrics.counter("invalidDefinitions"));
    customer = new CustomerState(runtime, timeToLive);
    reads = new AsyncProfileReads(redisUri);
    reload = new ProfileReload(runtime, reads);
    definitionChanges = new DefinitionChanges(definitions);
    aging = new ProfileAging(customer, definitions, metrics.counter("profilesRevalued"));
    touchpoints = new TouchpointFold(customer, definitions, aging);
    mergeAway = new MergeAway(customer);
    mergeIn = new MergeIn(customer, definitions, aging, metrics.counter("profilesMerged"));
    erasure = new ProfileErasure(customer, metrics.counter("profilesErased"));
    evicted = metrics.counter("profilesEvicted");
    deadLetters.open(metrics);
  }

  @Override
  public void close() {
    if (reads != null) {
      reads.close();
    }
  }

  @Override
  public void processElement(
      ProfileInput input, ReadOnlyContext ctx, Collector<CustomerProfile> out) throws Exception {
    deadLetters.guard(input, ctx.getCurrentKey(), ctx::output, () -> route(input, ctx, out));
  }

  private void route(ProfileInput input, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    definitionChanges.loadOnce(ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS));
    ProfileState kept = customer.kept();
    if (kept == null && customer.awaitsReload()) {
      reload.hold(ctx.getCurrentKey(), input, ctx.timerService());
      return;
    }
    handle(input, kept, ctx, out);
  }

  /**
   * The customer's valuation timer (event time), or their eviction timer, or a look at whether
   * Redis answered their reload (processing time).
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      deadLetters.guard(
          DeadLetterOutput.timer("valuation", timestamp),
          ctx.getCurrentKey(),
          ctx::output,
          () -> value(timestamp, ctx, out));
      return;
    }
    if (customer.evictIfDue(timestamp)) {
      evicted.inc();
    }
    if (!reload.isUnderWay()) {
      return;
    }
    var answer = reload.answered(ctx.getCurrentKey(), ctx.timerService());
    if (answer.isEmpty()) {
      return;
    }
    definitionChanges.loadOnce(ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS));
    if (answer.get().state() != null) {
      customer.keep(answer.get().state());
    }
    // each held input is a record of its own: one the operator throws on goes to the dead letters
    // alone, and the others are folded
    for (ProfileInput input : answer.get().held()) {
      deadLetters.guard(
          input, ctx.getCurrentKey(), ctx::output, () -> handle(input, customer.kept(), ctx, out));
    }
  }

  private void value(long timestamp, OnTimerContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    definitionChanges.loadOnce(ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS));
    aging.onTimer(timestamp, ctx.timerService(), out);
  }

  @Override
  public void processBroadcastElement(
      RuleChange change, Context ctx, Collector<CustomerProfile> out) throws Exception {
    deadLetters.guard(
        change, change.id, ctx::output, () -> definitionChanges.apply(change, ctx, out));
  }

  private void handle(
      ProfileInput input, ProfileState kept, ReadOnlyContext ctx, Collector<CustomerProfile> out)
      throws Exception {
    if (input.touchpoint != null) {
      touchpoints.fold(input.touchpoint, kept, ctx.timerService(), out);
    } else if (input.merge != null) {
      mergeAway.send(input.merge, kept, ctx, out);
    } else if (input.transfer != null) {
      mergeIn.fold(input.transfer, kept, ctx.timerService(), out);
    } else {
      erasure.erase(input.erasure, kept, ctx, out);
    }
  }
}
