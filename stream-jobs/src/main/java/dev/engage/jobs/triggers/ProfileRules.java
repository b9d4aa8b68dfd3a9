package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.ProfileTime;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Firing;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * A new profile version: it becomes the customer's latest profile (for audiences and profile
 * conditions), threshold rules see its new values, segment rules the segments entered and left
 * since the previous version (for a customer's first profile, all its segments count as entered).
 * Its event time is the profile's lastSeen.
 */
final class ProfileRules {
  private final RuleEvaluator evaluator;
  private final ValueState<CustomerProfile> profile;
  private final MapState<String, RuleEvaluationState> evaluation;
  private final TriggerFirings firings;

  ProfileRules(
      RuleEvaluator evaluator,
      ValueState<CustomerProfile> profile,
      MapState<String, RuleEvaluationState> evaluation,
      TriggerFirings firings) {
    this.evaluator = evaluator;
    this.profile = profile;
    this.evaluation = evaluation;
    this.firings = firings;
  }

  void evaluate(List<Rule> rules, CustomerProfile next, Collector<TriggerFired> out)
      throws Exception {
    CustomerProfile previous = profile.value();
    if (previous != null && previous.getVersion() >= next.getVersion()) {
      return; // a replayed or reordered older version
    }
    if (next.getMergedInto() != null) {
      // this id was merged into another: its evaluations end here, the survivor's go on
      profile.clear();
      evaluation.clear();
      return;
    }
    profile.update(next);
    Set<String> before = previous == null ? Set.of() : new HashSet<>(previous.getSegments());
    Set<String> after = new HashSet<>(next.getSegments());
    List<String> entered = difference(after, before);
    List<String> left = difference(before, after);
    Instant at = ProfileTime.valuedAt(next);
    CustomerRuleStates states = CustomerRuleStates.read(evaluation);
    for (Rule rule : rules) {
      RuleState state = states.of(rule);
      List<Firing> fired = new ArrayList<>();
      evaluator.onProfile(rule, state, next, at).ifPresent(fired::add);
      for (String segment : entered) {
        evaluator.onSegment(rule, state, segment, true, next, at).ifPresent(fired::add);
      }
      for (String segment : left) {
        evaluator.onSegment(rule, state, segment, false, next, at).ifPresent(fired::add);
      }
      fired.forEach(f -> out.collect(firings.of(rule, next.getCustomerId(), f)));
      states.keep(rule, state, at.toEpochMilli());
    }
  }

  private static List<String> difference(Set<String> these, Set<String> those) {
    return these.stream().filter(s -> !those.contains(s)).sorted().toList();
  }
}
