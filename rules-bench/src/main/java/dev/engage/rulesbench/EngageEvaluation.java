package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.Firing;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import dev.engage.rules.index.RuleIndex;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Engage's pure evaluator as the Flink trigger operator drives it, without Flink: the {@link
 * RuleIndex} picks the rules a touchpoint can affect, state is kept per customer and rule in maps
 * instead of Flink state, and dropped when it holds nothing. Like the operator's event-time timers,
 * a pending absence or deadline case is handed to the evaluator once the stream's event time
 * reaches it (the touchpoints' own times stand for the watermark), so cases end and their state
 * goes, as they do in the job.
 */
final class EngageEvaluation {
  private final RuleIndex index;
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private final Map<String, Map<String, RuleState>> statesByCustomer = new HashMap<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(Comparator.comparingLong(Timer::at));

  /** A customer's case of a rule waits for event time {@code at}. */
  private record Timer(long at, String customerId, Rule rule) {}

  EngageEvaluation(List<Rule> rules) {
    this.index = RuleIndex.of(rules);
  }

  /** Evaluates one touchpoint against the rules, telling {@code firings} of each that fired. */
  void evaluate(Touchpoint event, FiringListener firings) {
    long at = event.getOccurredAt().toEpochMilli();
    fireTimersUpTo(at, firings);
    BoundEvent bound = evaluator.bind(event, null, index);
    Map<String, RuleState> states =
        statesByCustomer.computeIfAbsent(event.getCustomerId(), c -> new HashMap<>());
    for (Rule rule : index.candidates(event, states.keySet())) {
      RuleState state = states.get(rule.id());
      if (state == null) {
        state = new RuleState();
      }
      long pendingBefore = state.pendingUntil;
      Optional<Firing> firing = evaluator.onEvent(rule, state, bound);
      if (firing.isPresent()) {
        firings.fired(rule.id(), event);
      }
      if (state.pendingUntil != 0 && state.pendingUntil != pendingBefore) {
        timers.add(new Timer(state.pendingUntil, event.getCustomerId(), rule));
      }
      keep(states, rule, state, at);
    }
  }

  /**
   * Forgets every customer's state and timers, for a stream that starts again at its first time.
   */
  void restart() {
    statesByCustomer.clear();
    timers.clear();
  }

  private void fireTimersUpTo(long time, FiringListener firings) {
    while (!timers.isEmpty() && timers.peek().at() <= time) {
      Timer timer = timers.poll();
      Map<String, RuleState> states = statesByCustomer.get(timer.customerId());
      RuleState state = states == null ? null : states.get(timer.rule().id());
      // a case closed or replaced since the timer was set left it behind
      if (state != null && state.pendingUntil == timer.at()) {
        Instant at = Instant.ofEpochMilli(timer.at());
        if (evaluator.onTimer(timer.rule(), state, at, null).isPresent()) {
          firings.fired(timer.rule().id(), null);
        }
        keep(states, timer.rule(), state, timer.at());
      }
    }
  }

  /** Like the operator: keeps a customer's state of a rule only while it holds something. */
  private static void keep(Map<String, RuleState> states, Rule rule, RuleState state, long now) {
    if (state.canBeDropped(rule.cooldown(), now)) {
      states.remove(rule.id());
    } else {
      states.put(rule.id(), state);
    }
  }
}
