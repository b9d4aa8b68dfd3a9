package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import java.time.Instant;
import java.util.List;
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

  void fire(List<Rule> rules, String customerId, long timestamp, Collector<TriggerFired> out)
      throws Exception {
    CustomerRuleStates states = CustomerRuleStates.read(evaluation);
    for (Rule rule : rules) {
      if (!states.isPendingBy(rule, timestamp)) {
        continue;
      }
      RuleState state = states.of(rule);
      evaluator
          .onTimer(rule, state, Instant.ofEpochMilli(timestamp), profile.value())
          .ifPresent(f -> out.collect(firings.of(rule, customerId, f)));
      states.keep(rule, state, timestamp);
    }
  }
}
