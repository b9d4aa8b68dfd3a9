package dev.engage.jobs.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DecisionState;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.rules.decisions.Propensities;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides each customer's next-best-actions and notifications ({@link CustomerDecider}) as
 * triggers, profile versions and responses arrive, with the rules and offers as broadcast state.
 * Emits a new {@link NextBestActions} version whenever the list changes, and notifications and
 * decision records as side outputs ({@link DecisionDescriptors}).
 *
 * <p>Its timers are <b>processing-time</b> timers: a customer's quiet hours end at 07:00 on their
 * clock and an action's ttl at a wall-clock instant, and both must take effect then even if no
 * event arrives for hours. Event time here moves only with touchpoints, so a quiet night would hold
 * every deferred message back until the next morning's first event. One timer per customer, at the
 * earliest instant anything of theirs changes by itself.
 *
 * <p><b>What bounds its state.</b> Per customer: the decision state (open actions, pending
 * notifications, sends remembered for the caps, dismissals and responses within their cooldowns)
 * ends by itself, each entry at its own time, on the timer above; once nothing is left it goes
 * whole. The latest profile goes once no new version came for {@code profileTimeToLive} (the
 * profile job's time-to-live, after which it drops the customer too), on an eviction timer moved
 * forward at most once a minute by each version, and only once the decision state has ended: a
 * customer with open decisions keeps the profile they are decided with. Across customers: the
 * definitions and the propensity counts (broadcast), bounded by what is published.
 */
public final class DecisionOperator
    extends KeyedBroadcastProcessFunction<
        String, DecisionInput, DecisionBroadcast, NextBestActions> {
  private static final long serialVersionUID = 1L;

  private final DecisionSettings settings;
  private final Duration profileTimeToLive;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("decisions");
  private transient CustomerDecider decider;
  private transient Propensities propensities;
  private transient boolean propensitiesLoaded;
  private transient DecisionDefinitions definitions;
  private transient ValueState<CustomerProfile> profile;
  private transient ValueState<DecisionState> state;
  private transient ValueState<Long> profileEviction;
  private transient Counter unknownRules;

  /**
   * @param profileTimeToLive how long a customer's profile is kept after its last version
   */
  public DecisionOperator(DecisionSettings settings, Duration profileTimeToLive) {
    this.settings = settings;
    this.profileTimeToLive = profileTimeToLive;
  }

  @Override
  public void open(OpenContext context) {
    Counter invalid = getRuntimeContext().getMetricGroup().counter("invalidDefinitions");
    unknownRules = getRuntimeContext().getMetricGroup().counter("triggersOfUnknownRules");
    definitions =
        new DecisionDefinitions(new DefinitionParser(new ConditionCompiler()), invalid::inc);
    propensities = new Propensities(settings);
    decider = new CustomerDecider(settings, propensities);
    profile = getRuntimeContext().getState(DecisionDescriptors.PROFILE);
    state = getRuntimeContext().getState(DecisionDescriptors.STATE);
    profileEviction = getRuntimeContext().getState(DecisionDescriptors.PROFILE_EVICTION);
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(
      DecisionInput input, ReadOnlyContext ctx, Collector<NextBestActions> out) throws Exception {
    deadLetters.guard(input, ctx.getCurrentKey(), ctx::output, () -> route(input, ctx, out));
  }

  private void route(DecisionInput input, ReadOnlyContext ctx, Collector<NextBestActions> out)
      throws Exception {
    if (input.erasure != null) {
      erase(ctx.timerService());
      return;
    }
    ReadOnlyBroadcastState<String, RuleRecord> records =
        ctx.getBroadcastState(DecisionDescriptors.DEFINITIONS);
    DecisionState current = current(startOf(ctx));
    String cause;
    if (input.profile != null) {
      if (!newer(input.profile)) {
        return;
      }
      profile.update(input.profile);
      keepProfile(ctx.timerService().currentProcessingTime() + profileTimeToLive.toMillis(), ctx);
      cause = "profile";
    } else if (input.trigger != null) {
      if (!openTrigger(current, input.trigger, records)) {
        return;
      }
      cause = "trigger";
    } else {
      decider
          .onResponse(current, input.response, profile.value(), offers(records))
          .ifPresent(o -> ctx.output(DecisionDescriptors.OUTCOMES, o));
      cause = "response";
    }
    decide(current, records, cause, ctx.timerService(), ctx, out);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<NextBestActions> out)
      throws Exception {
    Long evictAt = profileEviction.value();
    if (evictAt != null && evictAt == timestamp) {
      if (state.value() == null) {
        profile.clear();
        profileEviction.clear();
      } else { // decisions still open: they keep the profile a while longer
        keepProfile(timestamp + profileTimeToLive.toMillis(), ctx);
      }
    }
    if (state.value() == null) {
      return;
    }
    deadLetters.guard(
        DeadLetterOutput.timer("decision", timestamp),
        ctx.getCurrentKey(),
        ctx::output,
        () ->
            decide(
                current(timestamp),
                ctx.getBroadcastState(DecisionDescriptors.DEFINITIONS),
                "time",
                ctx.timerService(),
                ctx,
                out));
  }

  @Override
  public void processBroadcastElement(
      DecisionBroadcast input, Context ctx, Collector<NextBestActions> out) throws Exception {
    Object key =
        input.counts != null
            ? Propensities.key(input.counts.getCode(), input.counts.getSegment())
            : input.definition.id;
    deadLetters.guard(input, key, ctx::output, () -> onBroadcast(input, ctx));
  }

  private void onBroadcast(DecisionBroadcast input, Context ctx) throws Exception {
    if (input.counts != null) {
      PropensityCounts c = input.counts;
      ctx.getBroadcastState(DecisionDescriptors.PROPENSITIES)
          .put(Propensities.key(c.getCode(), c.getSegment()), c);
      propensities.put(c.getCode(), c.getSegment(), counts(c));
      return;
    }
    RuleChange change = input.definition;
    BroadcastState<String, RuleRecord> records =
        ctx.getBroadcastState(DecisionDescriptors.DEFINITIONS);
    if (change.isDeletion() ? !records.contains(change.id) : !isDecisionKind(change.record)) {
      return;
    }
    definitions.forget(change.id);
    if (change.isDeletion()) {
      records.remove(change.id);
    } else {
      records.put(change.id, change.record);
    }
  }

  private static Propensities.Counts counts(PropensityCounts c) {
    return new Propensities.Counts(c.getSuccesses(), c.getFailures());
  }

  /** After a restore, the estimates come back from the broadcast state, once. */
  private void loadPropensities(ReadOnlyContext ctx) throws Exception {
    if (propensitiesLoaded) {
      return;
    }
    for (Map.Entry<String, PropensityCounts> e :
        ctx.getBroadcastState(DecisionDescriptors.PROPENSITIES).immutableEntries()) {
      PropensityCounts c = e.getValue();
      propensities.put(c.getCode(), c.getSegment(), counts(c));
    }
    propensitiesLoaded = true;
  }

  private static boolean isDecisionKind(RuleRecord record) {
    return DecisionDefinitions.isDecisionKind(record.getKind());
  }

  private boolean newer(CustomerProfile next) throws Exception {
    CustomerProfile previous = profile.value();
    return previous == null || previous.getVersion() < next.getVersion();
  }

  /** Opens the action of the firing; false when its rule is not (or no longer) published. */
  private boolean openTrigger(
      DecisionState current, TriggerFired fired, ReadOnlyBroadcastState<String, RuleRecord> records)
      throws Exception {
    Rule rule = rules(records).get(fired.getRuleId());
    if (rule == null) {
      unknownRules.inc();
      return false;
    }
    decider.onTrigger(current, fired, rule, profile.value());
    return true;
  }

  private void decide(
      DecisionState current,
      ReadOnlyBroadcastState<String, RuleRecord> records,
      String cause,
      TimerService timers,
      ReadOnlyContext ctx,
      Collector<NextBestActions> out)
      throws Exception {
    loadPropensities(ctx);
    Instant now = Instant.ofEpochMilli(timers.currentProcessingTime());
    List<Offer> offers = offers(records);
    CustomerDecider.Outcome outcome =
        decider.decide(
            ctx.getCurrentKey(), current, profile.value(), rules(records), offers, cause, now);
    if (outcome.actions() != null) {
      out.collect(outcome.actions());
    }
    outcome.notifications().forEach(n -> ctx.output(DecisionDescriptors.NOTIFICATIONS, n));
    outcome.outcomes().forEach(o -> ctx.output(DecisionDescriptors.OUTCOMES, o));
    if (outcome.decision() != null) {
      ctx.output(DecisionDescriptors.DECISIONS, outcome.decision());
    }
    for (long registered : current.getTimers()) {
      timers.deleteProcessingTimeTimer(registered);
    }
    current.setTimers(new ArrayList<>());
    if (outcome.closed()) {
      state.clear();
      return;
    }
    if (outcome.wakeAt() != null) {
      timers.registerProcessingTimeTimer(outcome.wakeAt());
      current.getTimers().add(outcome.wakeAt());
    }
    state.update(current);
  }

  /** The customer asked to be forgotten: their decisions, profile and timers go. */
  private void erase(TimerService timers) throws Exception {
    DecisionState current = state.value();
    if (current != null) {
      current.getTimers().forEach(timers::deleteProcessingTimeTimer);
    }
    Long evictAt = profileEviction.value();
    if (evictAt != null) {
      timers.deleteProcessingTimeTimer(evictAt);
    }
    state.clear();
    profile.clear();
    profileEviction.clear();
  }

  /**
   * (Re)arms the profile's eviction timer for {@code until}, rounded up to the minute (or to the
   * time-to-live, when shorter) so most versions find the armed one right.
   */
  private void keepProfile(long until, ReadOnlyContext ctx) throws Exception {
    long granularity = Math.min(Duration.ofMinutes(1).toMillis(), profileTimeToLive.toMillis());
    long due = (until / granularity + 1) * granularity;
    Long armed = profileEviction.value();
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      ctx.timerService().deleteProcessingTimeTimer(armed);
    }
    ctx.timerService().registerProcessingTimeTimer(due);
    profileEviction.update(due);
  }

  /**
   * The customer's state with collections that can be changed in place (the lists Avro reads back
   * from state cannot remove through their iterators).
   *
   * <p>A new state numbers its lists and decisions from {@code startAt} (epoch millis) on, not from
   * 0: the state of a customer whose decisions ended is gone, and a count from 0 again would repeat
   * list versions (which Redis and the actions topic's readers drop as not newer) and decision ids.
   * The input's own timestamp, so a replay numbers them the same; it would take more than one list
   * per millisecond since the earlier state began for the numbers to meet.
   */
  private DecisionState current(long startAt) throws Exception {
    DecisionState s = state.value();
    if (s == null) {
      s = DecisionState.newBuilder().setListVersion(startAt).setDecisions(startAt).build();
    }
    s.setListed(new ArrayList<>(s.getListed()));
    s.setOpen(new ArrayList<>(s.getOpen()));
    s.setSent(new ArrayList<>(s.getSent()));
    s.setTimers(new ArrayList<>(s.getTimers()));
    s.setPending(new HashMap<>(s.getPending()));
    s.setDismissed(new HashMap<>(s.getDismissed()));
    s.setResponded(new HashMap<>(s.getResponded()));
    s.setOffered(new HashMap<>(s.getOffered()));
    return s;
  }

  /** The input's timestamp, or the time now when it has none. */
  private static long startOf(ReadOnlyContext ctx) {
    Long timestamp = ctx.timestamp();
    return timestamp != null ? timestamp : ctx.timerService().currentProcessingTime();
  }

  private List<Offer> offers(ReadOnlyBroadcastState<String, RuleRecord> records) throws Exception {
    return definitions.offers(records.immutableEntries());
  }

  private Map<String, Rule> rules(ReadOnlyBroadcastState<String, RuleRecord> records)
      throws Exception {
    return definitions.rules(records.immutableEntries());
  }
}
