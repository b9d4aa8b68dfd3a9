package dev.engage.jobs.triggers;

import dev.engage.avro.RuleEvaluationState;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.RuleState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;

/**
 * One customer's evaluation state of every rule, read with one scan of the keyed map state and
 * written back only where it changed. With RocksDB, a lookup per rule per event would cost a read
 * for each of hundreds of rules, although most hold nothing for most customers.
 */
final class CustomerRuleStates {
  private final MapState<String, RuleEvaluationState> backing;
  private final Map<String, RuleEvaluationState> states = new HashMap<>();

  private CustomerRuleStates(MapState<String, RuleEvaluationState> backing) {
    this.backing = backing;
  }

  static CustomerRuleStates read(MapState<String, RuleEvaluationState> backing) throws Exception {
    CustomerRuleStates customer = new CustomerRuleStates(backing);
    for (Map.Entry<String, RuleEvaluationState> entry : backing.entries()) {
      customer.states.put(entry.getKey(), entry.getValue());
    }
    return customer;
  }

  /** The rule's state, to evaluate and then {@link #keep}; empty when there was none. */
  RuleState of(Rule rule) {
    return StateConversion.fromAvro(states.get(rule.id()));
  }

  /** The ids of the rules whose pending case is due by {@code time}, sorted. */
  List<String> pendingBy(long time) {
    List<String> due = new ArrayList<>();
    states.forEach(
        (id, stored) -> {
          if (stored.getPendingUntil() != 0 && stored.getPendingUntil() <= time) {
            due.add(id);
          }
        });
    Collections.sort(due);
    return due;
  }

  /**
   * Stores the state only while it holds something (a pending case, a value past a threshold, a
   * running cooldown), so customers with nothing going on cost no state.
   */
  void keep(Rule rule, RuleState state, long now) throws Exception {
    RuleEvaluationState before = states.get(rule.id());
    if (state.canBeDropped(rule.cooldown(), now)) {
      if (before != null) {
        backing.remove(rule.id());
        states.remove(rule.id());
      }
      return;
    }
    RuleEvaluationState after = StateConversion.toAvro(state);
    if (!after.equals(before)) {
      backing.put(rule.id(), after);
      states.put(rule.id(), after);
    }
  }

  /** The ids of the rules this customer holds state for. */
  Set<String> ruleIds() {
    return states.keySet();
  }

  /** The times at which some case of this customer needs a timer. */
  Set<Long> pendingTimes() {
    Set<Long> times = new HashSet<>();
    for (RuleEvaluationState state : states.values()) {
      if (state.getPendingUntil() != 0) {
        times.add(state.getPendingUntil());
      }
    }
    return times;
  }
}
