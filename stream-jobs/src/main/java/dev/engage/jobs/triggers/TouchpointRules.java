package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import dev.engage.rules.index.IndexedRules;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Evaluates a touchpoint against the rules it can affect, and keeps one event-time timer per time a
 * pending absence or deadline case of the customer needs.
 */
final class TouchpointRules {
  private final RuleEvaluator evaluator;
  private final MapState<String, RuleEvaluationState> evaluation;
  private final TriggerFirings firings;

  TouchpointRules(
      RuleEvaluator evaluator,
      MapState<String, RuleEvaluationState> evaluation,
      TriggerFirings firings) {
    this.evaluator = evaluator;
    this.evaluation = evaluation;
    this.firings = firings;
  }

  void evaluate(
      IndexedRules rules,
      Touchpoint event,
      CustomerProfile profile,
      TimerService timers,
      Collector<TriggerFired> out)
      throws Exception {
    CustomerRuleStates states = CustomerRuleStates.read(evaluation);
    Set<Long> timersBefore = states.pendingTimes();
    BoundEvent bound = evaluator.bind(event, profile, rules);
    // only the rules this event can affect: those it can match, and those with state
    for (Rule rule : rules.candidates(event, states.ruleIds())) {
      RuleState state = states.of(rule);
      evaluator
          .onEvent(rule, state, bound)
          .ifPresent(f -> out.collect(firings.of(rule, event.getCustomerId(), f)));
      states.keep(rule, state, event.getOccurredAt().toEpochMilli());
    }
    // one timer per pending time: register new ones, delete those no case needs any more
    Set<Long> timersAfter = states.pendingTimes();
    for (long time : timersAfter) {
      if (!timersBefore.contains(time)) {
        timers.registerEventTimeTimer(time);
      }
    }
    for (long time : timersBefore) {
      if (!timersAfter.contains(time)) {
        timers.deleteEventTimeTimer(time);
      }
    }
  }
}
