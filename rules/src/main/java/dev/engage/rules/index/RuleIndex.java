package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The active rules, indexed by what their event conditions require of a touchpoint, so that an
 * event reaches only the rules it can affect instead of every rule. Built once when the active set
 * changes; immutable, so one index serves every customer.
 *
 * <p>A rule is left alone by an event when none of its event conditions can hold (each has a {@link
 * LookupKey} the event misses) and the customer keeps no state for it: the evaluator then neither
 * fires nor changes anything. A customer's rules with state are always evaluated, because an event
 * can move them without matching (a sequence's window expires, a stale version resets). Rules with
 * a condition that gives no key are evaluated for every event.
 */
public final class RuleIndex {
  private final List<Rule> rules;
  private final Map<String, Integer> positions = new HashMap<>();
  private final Map<String, Map<String, BitSet>> byField = new HashMap<>();
  private final BitSet scanned = new BitSet();

  private RuleIndex(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    for (int i = 0; i < this.rules.size(); i++) {
      Rule rule = this.rules.get(i);
      positions.put(rule.id(), i);
      index(i, eventConditions(rule.trigger()));
    }
  }

  /** Indexes {@code rules}, which keep their order in every answer. */
  public static RuleIndex of(List<Rule> rules) {
    return new RuleIndex(rules);
  }

  /** All the rules, in their order. */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * The rules {@code event} can affect for a customer holding state for the rules {@code withState}
   * (ids), in the order of {@link #rules()}.
   */
  public List<Rule> candidates(Touchpoint event, Collection<String> withState) {
    BitSet hits = (BitSet) scanned.clone();
    byField.forEach(
        (field, byValue) -> {
          String value = LookupKey.valueOf(event, field);
          BitSet matching = value == null ? null : byValue.get(value);
          if (matching != null) {
            hits.or(matching);
          }
        });
    for (String id : withState) {
      Integer position = positions.get(id);
      if (position != null) {
        hits.set(position);
      }
    }
    List<Rule> candidates = new ArrayList<>(hits.cardinality());
    for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
      candidates.add(rules.get(i));
    }
    return candidates;
  }

  private void index(int position, List<Condition> conditions) {
    List<LookupKey> keys = new ArrayList<>();
    for (Condition condition : conditions) {
      Optional<LookupKey> key = ConditionKeys.of(condition);
      if (key.isEmpty()) {
        scanned.set(position);
        return;
      }
      keys.add(key.get());
    }
    for (LookupKey key : keys) {
      Map<String, BitSet> byValue = byField.computeIfAbsent(key.field(), f -> new HashMap<>());
      key.values().forEach(v -> byValue.computeIfAbsent(v, x -> new BitSet()).set(position));
    }
  }

  /** The conditions through which a touchpoint can affect a rule of this kind. */
  private static List<Condition> eventConditions(Trigger trigger) {
    if (trigger instanceof Trigger.OnEvent t) {
      return List.of(t.condition());
    }
    if (trigger instanceof Trigger.Count t) {
      return List.of(t.match());
    }
    if (trigger instanceof Trigger.Sequence t) {
      return t.steps();
    }
    if (trigger instanceof Trigger.Absence t) {
      return List.of(t.first(), t.not());
    }
    if (trigger instanceof Trigger.Deadline t) {
      return List.of(t.first(), t.not());
    }
    return List.of(); // threshold and segment rules are driven by profiles, not touchpoints
  }
}
