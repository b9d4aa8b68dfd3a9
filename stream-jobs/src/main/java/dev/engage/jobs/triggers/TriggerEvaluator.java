package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.evaluation.AudienceAnswers;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.index.IndexedRules;
import dev.engage.rules.index.LiveRuleIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the marketers' rules for each customer's touchpoints. Rules arrive as broadcast state
 * from the compacted rules topic, so adding, changing or disabling one takes effect on the next
 * event, without a restart; deleting one also removes every customer's state for it. Absence and
 * deadline rules register an event-time timer and fire when the watermark passes.
 *
 * <p>It routes each input to the class that handles it: a touchpoint to {@link TouchpointRules}, a
 * profile version to {@link ProfileRules}, a due event-time timer to {@link DueCases}, an erasure
 * and the eviction timer to {@link CustomerEviction}; itself it keeps the rules (compiled and
 * indexed) and the inputs held until they have been read.
 *
 * <p>Each rule counts its firings and keeps its freshness (receivedAt of the newest cause to the
 * firing) as a histogram ({@link RuleMetrics}); invalid rule versions on the topic are counted and
 * skipped.
 *
 * <p>Profile versions from the profiles topic arrive on the same keyed input: the latest is kept
 * per customer for audiences and profile conditions, and each new one drives threshold and segment
 * rules. Until a customer's first profile arrives, rules with an audience do not fire for them.
 *
 * <p>On a first start, inputs that arrive before the rules topic has been read to where it ended
 * ({@link RulesAtStart}) are held per customer and evaluated, in their order, once it has: a
 * backlog of touchpoints older than the rules meets the rules, not an empty rule set.
 *
 * <p><b>What bounds its state.</b> Per customer: the held inputs go once the rules have been read
 * (a processing-time recheck every 100 ms, or the end of a bounded input); an absence or deadline
 * case goes when it fires or is cancelled (its event-time timer); everything else (the latest
 * profile, half-finished count and sequence cases, running cooldowns, a threshold's last side) goes
 * when the customer has sent nothing for {@code timeToLive} (processing time, the profile job's
 * time-to-live, 90 days by default): an eviction timer, moved forward at most once a minute as
 * inputs (and firings of pending cases) arrive, drops it all but the pending absence and deadline
 * cases, which end by their own timers. A customer with nothing left holds no eviction timer
 * either. What eviction costs: a customer back after that gap starts with fresh counts and
 * sequences, and a threshold already past its bound may fire once more. Across customers: a deleted
 * rule's state goes from every customer at once.
 */
public final class TriggerEvaluator
    extends KeyedBroadcastProcessFunction<String, CustomerInput, RuleChange, TriggerFired>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TriggerEvaluator.class);

  /** How often a customer with held inputs looks again whether the rules have been read. */
  private static final long RECHECK_MILLIS = 100;

  /**
   * The event-time timer a customer with held inputs keeps as well: a bounded input ends with the
   * largest watermark, after every input (the rules too) has been read, and processing-time timers
   * do not fire after the end of input.
   */
  private static final long END_OF_INPUT = Long.MAX_VALUE;

  /**
   * Audience answers kept per task, by customer, profile version and audience: a customer firing
   * several rules with the same audience, or the same rule again, on one profile version costs one
   * evaluation. A few MB at most; older answers go first.
   */
  private static final int AUDIENCE_ANSWERS = 20_000;

  private final RulesAtStart rulesAtStart;
  private final Duration timeToLive;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("trigger-evaluator");

  private transient RuleParser parser;
  // by rule id: the rule compiled from the record in the broadcast state, empty when invalid
  private transient Map<String, Optional<Rule>> compiled;
  // the active rules, indexed; null until first used after a start (built from the broadcast state)
  private transient LiveRuleIndex active;
  private transient ValueState<CustomerProfile> profile;
  private transient Counter invalidRules;
  private transient ListState<CustomerInput> held;
  private transient TouchpointRules touchpointRules;
  private transient ProfileRules profileRules;
  private transient DueCases dueCases;
  private transient CustomerEviction eviction;
  private transient boolean rulesRead;
  private transient boolean restored;
  private transient int holdingCustomers;

  /**
   * Holds customers' inputs until the rules topic has been read to {@code rulesAtStart}, and evicts
   * a customer's state after {@code timeToLive} without an input.
   */
  public TriggerEvaluator(RulesAtStart rulesAtStart, Duration timeToLive) {
    this.rulesAtStart = rulesAtStart;
    this.timeToLive = timeToLive;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    restored = context.isRestored();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // everything this operator keeps is in keyed and broadcast state
  }

  @Override
  public void open(OpenContext context) {
    parser = new RuleParser(new ConditionCompiler());
    compiled = new HashMap<>();
    var runtime = getRuntimeContext();
    profile = runtime.getState(TriggerDescriptors.PROFILE);
    MapState<String, RuleEvaluationState> evaluation =
        runtime.getMapState(TriggerDescriptors.EVALUATION);
    held = runtime.getListState(TriggerDescriptors.HELD);
    invalidRules = runtime.getMetricGroup().counter("invalidRules");
    // rule versions compiled as they arrived, valid or not: how far the rules have been taken in
    runtime.getMetricGroup().gauge("compiledRules", () -> compiled.size());
    TriggerFirings firings = new TriggerFirings(runtime.getMetricGroup());
    RuleEvaluator evaluator =
        new RuleEvaluator(new AudienceAnswers(AUDIENCE_ANSWERS), firings::evaluationFailed);
    touchpointRules = new TouchpointRules(evaluator, evaluation, firings);
    profileRules = new ProfileRules(evaluator, profile, evaluation, firings);
    dueCases = new DueCases(evaluator, profile, evaluation, firings);
    eviction =
        new CustomerEviction(
            timeToLive, profile, evaluation, runtime.getState(TriggerDescriptors.EVICTION_TIMER));
    deadLetters.open(runtime.getMetricGroup());
  }

  @Override
  public void processElement(CustomerInput input, ReadOnlyContext ctx, Collector<TriggerFired> out)
      throws Exception {
    deadLetters.guard(input, ctx.getCurrentKey(), ctx::output, () -> route(input, ctx, out));
  }

  private void route(CustomerInput input, ReadOnlyContext ctx, Collector<TriggerFired> out)
      throws Exception {
    if (!rulesRead(ctx)) {
      hold(input, ctx);
      return;
    }
    releaseHeld(ctx, out);
    evaluate(input, ctx, out);
  }

  private void evaluate(CustomerInput input, ReadOnlyContext ctx, Collector<TriggerFired> out)
      throws Exception {
    IndexedRules rules = rules(ctx.getBroadcastState(TriggerDescriptors.RULES));
    if (input.profile != null) {
      profileRules.evaluate(rules.rules(), input.profile, out);
    } else if (input.touchpoint != null) {
      touchpointRules.evaluate(rules, input.touchpoint, profile.value(), ctx.timerService(), out);
    } else {
      eviction.erase(ctx.timerService());
    }
    eviction.keepAliveOrEnd(ctx.timerService());
  }

  /**
   * Whether the rules topic has been read as far as it went at start. Once true it stays true. A
   * job restored from a savepoint taken before read offsets were kept has rules but no offsets, and
   * counts as read.
   */
  private boolean rulesRead(ReadOnlyContext ctx) throws Exception {
    if (!rulesRead) {
      Map<Integer, Long> read = new HashMap<>();
      for (Map.Entry<Integer, Long> entry :
          ctx.getBroadcastState(TriggerDescriptors.RULES_READ).immutableEntries()) {
        read.put(entry.getKey(), entry.getValue());
      }
      rulesRead =
          rulesAtStart.reachedBy(read)
              || (read.isEmpty()
                  && ctx.getBroadcastState(TriggerDescriptors.RULES)
                      .immutableEntries()
                      .iterator()
                      .hasNext());
    }
    return rulesRead;
  }

  /** Keeps the input for later, and makes sure a timer comes back for this customer. */
  private void hold(CustomerInput input, ReadOnlyContext ctx) throws Exception {
    if (isEmpty(held.get())) {
      holdingCustomers++;
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + RECHECK_MILLIS);
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    }
    held.add(input);
  }

  /**
   * Evaluates this customer's held inputs, in their order, before anything newer. The state is only
   * read while some customer may still hold inputs: in this run, while one does; after a restore,
   * always (a held input may have been checkpointed), at one read per input.
   */
  private void releaseHeld(ReadOnlyContext ctx, Collector<TriggerFired> out) throws Exception {
    if (!restored && holdingCustomers == 0) {
      return;
    }
    Iterable<CustomerInput> inputs = held.get();
    if (isEmpty(inputs)) {
      return;
    }
    List<CustomerInput> earlier = new ArrayList<>();
    inputs.forEach(earlier::add);
    held.clear();
    ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
    holdingCustomers = Math.max(0, holdingCustomers - 1);
    // each held input is a record of its own: one the operator throws on goes to the dead letters
    // alone, and the others are evaluated (on a timer too, where no other net is under them)
    for (CustomerInput input : earlier) {
      deadLetters.guard(input, ctx.getCurrentKey(), ctx::output, () -> evaluate(input, ctx, out));
    }
  }

  private static boolean isEmpty(Iterable<CustomerInput> inputs) {
    return inputs == null || !inputs.iterator().hasNext();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerFired> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      eviction.evictIfDue(timestamp);
      if (rulesRead(ctx)) {
        releaseHeld(ctx, out);
      } else {
        ctx.timerService().registerProcessingTimeTimer(timestamp + RECHECK_MILLIS);
      }
      return;
    }
    if (timestamp == END_OF_INPUT && rulesRead(ctx)) {
      releaseHeld(ctx, out);
    }
    deadLetters.guard(
        DeadLetterOutput.timer("due cases", timestamp),
        ctx.getCurrentKey(),
        ctx::output,
        () ->
            dueCases.fire(
                rules(ctx.getBroadcastState(TriggerDescriptors.RULES)),
                ctx.getCurrentKey(),
                timestamp,
                out));
    eviction.keepAliveOrEnd(ctx.timerService());
  }

  @Override
  public void processBroadcastElement(RuleChange change, Context ctx, Collector<TriggerFired> out)
      throws Exception {
    deadLetters.guard(change, change.id, ctx::output, () -> onRuleChange(change, ctx, out));
  }

  private void onRuleChange(RuleChange change, Context ctx, Collector<TriggerFired> out)
      throws Exception {
    if (change.partition >= 0) {
      // every record counts towards having read the rules, segments and models included
      BroadcastState<Integer, Long> read = ctx.getBroadcastState(TriggerDescriptors.RULES_READ);
      Long before = read.get(change.partition);
      read.put(change.partition, Math.max(change.offset, before == null ? -1 : before));
    }
    BroadcastState<String, RuleRecord> rules = ctx.getBroadcastState(TriggerDescriptors.RULES);
    if (change.isDeletion() ? !rules.contains(change.id) : !isTriggerRule(change.record)) {
      return; // segments and scoring models are the profile job's
    }
    compiled.remove(change.id);
    if (change.isDeletion()) {
      rules.remove(change.id);
      if (active != null) {
        active.remove(change.id);
      }
      // a deleted rule leaves nothing behind in any customer's state
      ctx.applyToKeyedState(
          TriggerDescriptors.EVALUATION, (customer, state) -> state.remove(change.id));
      LOG.info("Rule {} deleted", change.id);
      return;
    }
    rules.put(change.id, change.record);
    // compiled as it arrives, so a batch of changes is not compiled by the next touchpoint
    Optional<Rule> rule = compile(change.record);
    compiled.put(change.id, rule);
    if (active != null) {
      if (isActive(rule, change.record)) {
        active.put(rule.get());
      } else {
        active.remove(change.id);
      }
    }
    LOG.info(
        "Rule {} version {} ({})",
        change.id,
        change.record.getVersion(),
        change.record.getEnabled() ? "enabled" : "disabled");
  }

  private static boolean isTriggerRule(RuleRecord record) {
    return record.getKind().equals(Rule.KIND);
  }

  private static boolean isActive(Optional<Rule> rule, RuleRecord record) {
    return rule.isPresent() && rule.get().enabled() && record.getEnabled();
  }

  /**
   * The active rules, compiled and indexed. Built from the broadcast state on first use after a
   * start (or a restore), then changed with each rule change, so events do not walk the broadcast
   * state and a batch of changes is not indexed again in full between touchpoints.
   */
  private IndexedRules rules(ReadOnlyBroadcastState<String, RuleRecord> state) throws Exception {
    if (active != null) {
      return active;
    }
    active = new LiveRuleIndex();
    for (Map.Entry<String, RuleRecord> entry : state.immutableEntries()) {
      RuleRecord record = entry.getValue();
      Optional<Rule> rule = compiled.get(entry.getKey());
      if (rule == null) { // after a restore
        rule = compile(record);
        compiled.put(entry.getKey(), rule);
      }
      if (isActive(rule, record)) {
        active.put(rule.get());
      }
    }
    return active;
  }

  private Optional<Rule> compile(RuleRecord record) {
    try {
      return Optional.of(parser.parse(record.getSource()).withVersion(record.getVersion()));
    } catch (InvalidRuleException e) {
      // the CLI and API refuse invalid rules; one written to the topic by other means is skipped
      invalidRules.inc();
      LOG.warn(
          "Skipping invalid rule {} version {}: {}",
          record.getId(),
          record.getVersion(),
          e.getMessage());
      return Optional.empty();
    }
  }
}
