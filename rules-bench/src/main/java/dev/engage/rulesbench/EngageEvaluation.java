package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.Firing;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import dev.engage.rules.index.RuleIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Engage's pure evaluator as the Flink trigger operator drives it, without Flink: the {@link
 * RuleIndex} picks the rules a touchpoint can affect, state is kept per customer and rule in maps
 * instead of Flink state, and dropped when it holds nothing.
 */
final class EngageEvaluation {
  private final RuleIndex index;
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private final Map<String, Map<String, RuleState>> statesByCustomer = new HashMap<>();

  EngageEvaluation(List<Rule> rules) {
    this.index = RuleIndex.of(rules);
  }

  /** Evaluates one touchpoint against the rules, telling {@code firings} of each that fired. */
  void evaluate(Touchpoint event, FiringListener firings) {
    BoundEvent bound = evaluator.bind(event, null, index);
    long at = event.getOccurredAt().toEpochMilli();
    Map<String, RuleState> states =
        statesByCustomer.computeIfAbsent(event.getCustomerId(), c -> new HashMap<>());
    for (Rule rule : index.candidates(event, states.keySet())) {
      RuleState state = states.getOrDefault(rule.id(), new RuleState());
      Optional<Firing> firing = evaluator.onEvent(rule, state, bound);
      if (firing.isPresent()) {
        firings.fired(rule.id(), event);
      }
      // like the operator: keep a customer's state only while it holds something
      if (state.canBeDropped(rule.cooldown(), at)) {
        states.remove(rule.id());
      } else {
        states.put(rule.id(), state);
      }
    }
  }
}
