package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import dev.engage.rules.index.IndexedRules;
import java.time.Instant;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/** The watermark passed a time a customer's absence or deadline cases waited for: they fire. */
final class DueCases {
  private final RuleEvaluator evaluator;
  private final ValueState<CustomerProfile> profile;
  private final MapState<String, RuleEvaluationState> evaluation;
  private final TriggerFirings firings;

  DueCases(
      RuleEvaluator evaluator,
      ValueState<CustomerProfile> profile,
      MapState<String, RuleEvaluationState> evaluation,
      TriggerFirings firings) {
    this.evaluator = evaluator;
    this.profile = profile;
    this.evaluation = evaluation;
    this.firings = firings;
  }

  /**
   * Fires the customer's cases due by {@code timestamp}, in the order of their rules' ids: found
   * through the customer's own states, so a timer costs the rules the customer has cases of, not
   * every rule.
   */
  void fire(IndexedRules rules, String customerId, long timestamp, Collector<TriggerFired> out)
      throws Exception {
    CustomerRuleStates states = CustomerRuleStates.read(evaluation);
    for (String id : states.pendingBy(timestamp)) {
      Rule rule = rules.rule(id);
      if (rule == null) {
        continue; // a rule disabled since its case opened does not fire
      }
      RuleState state = states.of(rule);
      evaluator
          .onTimer(rule, state, Instant.ofEpochMilli(timestamp), profile.value())
          .ifPresent(f -> out.collect(firings.of(rule, customerId, f)));
      states.keep(rule, state, timestamp);
    }
  }
}
