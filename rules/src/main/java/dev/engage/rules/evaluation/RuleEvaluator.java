package dev.engage.rules.evaluation;

import com.google.protobuf.Timestamp;
import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import dev.engage.rules.index.IndexedRules;
import dev.engage.rules.index.RuleIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates trigger rules for one customer, with no Flink in sight: the caller hands in the rule,
 * the customer's {@link RuleState} for it and what happened (an event, a timer, a new profile, a
 * segment change), and gets a {@link Firing} when the rule became true. The stream job and the
 * backtest both use it, so they cannot disagree.
 *
 * <p>Time is event time throughout: {@code now} in conditions is the event's time, windows and
 * timers are measured in event time, so replaying the same events gives the same firings. Absence
 * and deadline rules ask for a timer through {@link RuleState#pendingUntil}; the caller calls
 * {@link #onTimer} once its clock (the watermark) passes it.
 */
public final class RuleEvaluator {
  private static final RuleIndex NO_INDEX = RuleIndex.of(List.of());

  /** Hears of each condition of a rule that failed at runtime (not of missing data). */
  @FunctionalInterface
  public interface EvaluationErrors {
    void failed(Rule rule);
  }

  private final AudienceAnswers audiences;
  private final EvaluationErrors errors;

  /**
   * An evaluator that evaluates every audience each time it is asked, and for which a condition's
   * runtime error is just a condition that does not hold.
   */
  public RuleEvaluator() {
    this(new AudienceAnswers(0), rule -> {});
  }

  /**
   * An evaluator that asks {@code audiences} whether a customer is in a rule's audience and tells
   * {@code errors} of each runtime error in a rule's conditions.
   */
  public RuleEvaluator(AudienceAnswers audiences, EvaluationErrors errors) {
    this.audiences = audiences;
    this.errors = errors;
  }

  /** Evaluates a touchpoint. */
  public Optional<Firing> onEvent(
      Rule rule, RuleState state, Touchpoint event, CustomerProfile profile) {
    return onEvent(rule, state, bind(event, profile));
  }

  /** Prepares a touchpoint (and the profile) for evaluation against many rules. */
  public BoundEvent bind(Touchpoint event, CustomerProfile profile) {
    return bind(event, profile, NO_INDEX);
  }

  /**
   * Prepares a touchpoint for evaluation against the rules of {@code index}, whose requirements
   * spare the CEL evaluation of conditions the event cannot meet.
   */
  public BoundEvent bind(Touchpoint event, CustomerProfile profile, IndexedRules index) {
    return new BoundEvent(event, profile, index);
  }

  /** Evaluates a touchpoint bound once for all rules. */
  public Optional<Firing> onEvent(Rule rule, RuleState state, BoundEvent bound) {
    reset(rule, state);
    Touchpoint event = bound.event();
    CustomerProfile profile = bound.profile();
    long at = event.getOccurredAt().toEpochMilli();
    Trigger trigger = rule.trigger();
    if (trigger instanceof Trigger.OnEvent t) {
      return holds(rule, bound, t.condition())
          ? fire(
              rule,
              state,
              event.getOccurredAt(),
              profile,
              "event "
                  + event.getType()
                  + " matched "
                  + t.condition().expression()
                  + summary(event),
              bound.values(),
              List.of(cause(event)))
          : Optional.empty();
    }
    if (trigger instanceof Trigger.Count t) {
      return count(rule, state, t, bound);
    }
    if (trigger instanceof Trigger.Sequence t) {
      return sequence(rule, state, t, bound);
    }
    if (trigger instanceof Trigger.Absence t) {
      pendCase(rule, state, t.first(), t.not(), bound, at + t.within().toMillis());
      return Optional.empty();
    }
    if (trigger instanceof Trigger.Deadline t) {
      if (state.pendingUntil == 0 && holds(rule, bound, t.first())) {
        Optional<Object> due = t.due().eval(bound.bindings());
        if (due.isPresent() && due.get() instanceof Timestamp ts) {
          long until = ts.getSeconds() * 1000 + ts.getNanos() / 1_000_000 - t.before().toMillis();
          state.addMatch(at, event.getEventId(), event.getReceivedAt().toEpochMilli(), 0);
          state.pendingUntil = Math.max(until, at);
        }
      } else if (state.pendingUntil != 0 && holds(rule, bound, t.not())) {
        state.clearMatches();
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The caller's event-time clock reached {@code time}: fires a pending absence or deadline. */
  public Optional<Firing> onTimer(
      Rule rule, RuleState state, Instant time, CustomerProfile profile) {
    reset(rule, state);
    if (state.pendingUntil == 0 || time.toEpochMilli() < state.pendingUntil) {
      return Optional.empty();
    }
    Instant due = Instant.ofEpochMilli(state.pendingUntil);
    List<Cause> causes = causes(state);
    String explanation;
    if (rule.trigger() instanceof Trigger.Absence t) {
      explanation =
          "no event matching "
              + t.not().expression()
              + " within "
              + t.within()
              + " after "
              + t.first().expression();
    } else if (rule.trigger() instanceof Trigger.Deadline t) {
      explanation = "no event matching " + t.not().expression() + " before the deadline " + due;
    } else {
      state.clearMatches();
      return Optional.empty();
    }
    state.clearMatches();
    return fire(rule, state, due, profile, explanation, Map.of("due", due.toString()), causes);
  }

  /** The profile changed: fires a threshold rule whose value crossed its bound. */
  public Optional<Firing> onProfile(
      Rule rule, RuleState state, CustomerProfile profile, Instant at) {
    reset(rule, state);
    if (!(rule.trigger() instanceof Trigger.Threshold t)) {
      return Optional.empty();
    }
    Optional<Double> value =
        t.value()
            .eval(CelBindings.profile(profile, at))
            .filter(Number.class::isInstance)
            .map(v -> ((Number) v).doubleValue());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    boolean past = t.above() ? value.get() > t.bound() : value.get() < t.bound();
    boolean crossed = past && !Boolean.TRUE.equals(state.wasPast);
    state.wasPast = past;
    if (!crossed) {
      return Optional.empty();
    }
    String explanation =
        t.value().expression()
            + " = "
            + value.get()
            + " crossed "
            + (t.above() ? "above " : "below ")
            + t.bound();
    return fire(
        rule, state, at, profile, explanation, Map.of("value", value.get().toString()), List.of());
  }

  /** The customer entered or left a segment. */
  public Optional<Firing> onSegment(
      Rule rule,
      RuleState state,
      String segment,
      boolean entered,
      CustomerProfile profile,
      Instant at) {
    reset(rule, state);
    if (rule.trigger() instanceof Trigger.SegmentChange t
        && t.segment().equals(segment)
        && t.entering() == entered) {
      return fire(
          rule,
          state,
          at,
          profile,
          (entered ? "entered" : "left") + " segment " + segment,
          Map.of("segment", segment),
          List.of());
    }
    return Optional.empty();
  }

  private Optional<Firing> count(Rule rule, RuleState state, Trigger.Count t, BoundEvent bound) {
    Touchpoint event = bound.event();
    if (!holds(rule, bound, t.match())) {
      return Optional.empty();
    }
    long at = event.getOccurredAt().toEpochMilli();
    state.addMatch(at, event.getEventId(), event.getReceivedAt().toEpochMilli(), 0);
    while (!state.times.isEmpty() && state.times.get(0) <= at - t.within().toMillis()) {
      state.removeFirst();
    }
    if (state.times.size() < t.atLeast()) {
      return Optional.empty();
    }
    List<Cause> causes = causes(state);
    state.clearMatches();
    return fire(
        rule,
        state,
        event.getOccurredAt(),
        bound.profile(),
        t.atLeast() + " events matching " + t.match().expression() + " within " + t.within(),
        Map.of("count", Integer.toString(t.atLeast())),
        causes);
  }

  private Optional<Firing> sequence(
      Rule rule, RuleState state, Trigger.Sequence t, BoundEvent bound) {
    Touchpoint event = bound.event();
    long at = event.getOccurredAt().toEpochMilli();
    if (!state.times.isEmpty() && at - state.times.get(0) > t.within().toMillis()) {
      state.clearMatches();
    }
    for (int step = 0; step < t.steps().size(); step++) {
      boolean due = t.ordered() ? step == state.steps.size() : !state.steps.contains(step);
      if (due && holds(rule, bound, t.steps().get(step))) {
        state.addMatch(at, event.getEventId(), event.getReceivedAt().toEpochMilli(), step);
        break;
      }
    }
    if (state.steps.size() < t.steps().size()) {
      return Optional.empty();
    }
    List<Cause> causes = causes(state);
    state.clearMatches();
    return fire(
        rule,
        state,
        event.getOccurredAt(),
        bound.profile(),
        t.steps().size() + " steps " + (t.ordered() ? "in order " : "") + "within " + t.within(),
        Map.of("steps", Integer.toString(t.steps().size())),
        causes);
  }

  /** Absence: open a case on {@code first}, close it on {@code not}. */
  private void pendCase(
      Rule rule, RuleState state, Condition first, Condition not, BoundEvent bound, long until) {
    Touchpoint event = bound.event();
    if (state.pendingUntil != 0 && holds(rule, bound, not)) {
      state.clearMatches();
    } else if (state.pendingUntil == 0 && holds(rule, bound, first)) {
      state.addMatch(
          event.getOccurredAt().toEpochMilli(),
          event.getEventId(),
          event.getReceivedAt().toEpochMilli(),
          0);
      state.pendingUntil = until;
    }
  }

  /** Applies what every kind shares: enabled, schedule, audience and cooldown. */
  private Optional<Firing> fire(
      Rule rule,
      RuleState state,
      Instant at,
      CustomerProfile profile,
      String explanation,
      Map<String, String> values,
      List<Cause> causes) {
    if (!rule.enabled()
        || (rule.activeFrom() != null && at.isBefore(rule.activeFrom()))
        || (rule.activeUntil() != null && !at.isBefore(rule.activeUntil()))) {
      return Optional.empty();
    }
    if (rule.audience() != null) {
      Condition.Answer audience = audiences.answer(rule.audience(), profile, at);
      if (audience == Condition.Answer.FAILED) {
        errors.failed(rule);
      }
      if (audience != Condition.Answer.HOLDS) {
        return Optional.empty();
      }
    }
    Duration cooldown = rule.cooldown();
    if (state.lastFiredAt != 0 && at.toEpochMilli() - state.lastFiredAt < cooldown.toMillis()) {
      return Optional.empty();
    }
    state.lastFiredAt = at.toEpochMilli();
    return Optional.of(new Firing(explanation, values, causes, at));
  }

  /** Whether the rule's condition holds for the event; a runtime error is reported and does not. */
  private boolean holds(Rule rule, BoundEvent bound, Condition condition) {
    Condition.Answer answer = bound.answer(condition);
    if (answer == Condition.Answer.FAILED) {
      errors.failed(rule);
    }
    return answer == Condition.Answer.HOLDS;
  }

  /** State kept for another version of the rule no longer applies. */
  private static void reset(Rule rule, RuleState state) {
    int version = rule.version();
    if (state.ruleVersion != version) {
      state.clearMatches();
      state.wasPast = null;
      state.ruleVersion = version;
    }
  }

  /** The event's own one-line description (its {@code summary} attribute), when it has one. */
  private static String summary(Touchpoint event) {
    String summary = event.getAttributes().get("summary");
    return summary == null ? "" : ": " + summary;
  }

  private static Cause cause(Touchpoint event) {
    return new Cause(event.getEventId(), event.getType(), event.getReceivedAt());
  }

  private static List<Cause> causes(RuleState state) {
    List<Cause> causes = new ArrayList<>();
    for (int i = 0; i < state.times.size(); i++) {
      causes.add(
          new Cause(state.eventIds.get(i), null, Instant.ofEpochMilli(state.receivedAts.get(i))));
    }
    return causes;
  }
}
