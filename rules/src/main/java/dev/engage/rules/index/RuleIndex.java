package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The active rules, indexed by what their event conditions require of a touchpoint, so that an
 * event reaches only the rules it can affect instead of every rule. Built once when the active set
 * changes; immutable, so one index serves every customer.
 *
 * <p>A rule is left alone by an event when none of its event conditions can hold (each misses one
 * of its {@link Requirement}s) and the customer keeps no state for it: the evaluator then neither
 * fires nor changes anything. A customer's rules with state are always evaluated, because an event
 * can move them without matching (a sequence's window expires, a stale version resets).
 *
 * <p>Each condition with a string key is filed under one key: of its keys, the one whose values the
 * fewest other conditions share, so that a field value common to many rules ({@code event.type ==
 * 'page_view'}) does not bring all of them along when a rarer conjunct ({@code
 * event.attributes.campaign == 'c17'}) would not. The event then looks up its own value of each
 * field filed under, and a condition found is kept only if the event also meets its other
 * requirements (other keys, numeric bounds), a few field reads instead of a CEL evaluation. A
 * condition with no string key is checked that way on every event; one with no requirement at all
 * always lets its rule through.
 */
public final class RuleIndex {
  private final List<Rule> rules;
  private final Map<String, Integer> positions = new HashMap<>();
  private final Map<TouchpointField, Map<String, List<FiledCondition>>> byField = new HashMap<>();
  private final List<FiledCondition> unkeyed = new ArrayList<>();
  private final Map<Condition, List<Requirement>> requirements = new IdentityHashMap<>();

  /** A condition of the rule at {@code position}, with what an event must meet for it to hold. */
  private record FiledCondition(int position, List<Requirement> requirements) {
    boolean mayHoldFor(Touchpoint event) {
      return meetsAll(requirements, event);
    }
  }

  private RuleIndex(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    List<FiledCondition> conditions = new ArrayList<>();
    for (int i = 0; i < this.rules.size(); i++) {
      Rule rule = this.rules.get(i);
      positions.put(rule.id(), i);
      for (Condition condition : eventConditions(rule.trigger())) {
        List<Requirement> required =
            requirements.computeIfAbsent(condition, ConditionRequirements::of);
        conditions.add(new FiledCondition(i, required));
      }
    }
    Map<TouchpointField, Map<String, Integer>> sharing = new HashMap<>();
    conditions.forEach(
        c ->
            keys(c)
                .forEach(
                    key ->
                        key.values()
                            .forEach(
                                v ->
                                    sharing
                                        .computeIfAbsent(key.field(), f -> new HashMap<>())
                                        .merge(v, 1, Integer::sum))));
    for (FiledCondition condition : conditions) {
      keys(condition)
          .min(Comparator.comparingInt(key -> sharedBy(key, sharing)))
          .ifPresentOrElse(key -> file(key, condition), () -> unkeyed.add(condition));
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
    BitSet hits = new BitSet(rules.size());
    for (Map.Entry<TouchpointField, Map<String, List<FiledCondition>>> field : byField.entrySet()) {
      String value = field.getKey().valueOf(event);
      List<FiledCondition> filed = value == null ? null : field.getValue().get(value);
      if (filed != null) {
        mark(filed, event, hits);
      }
    }
    mark(unkeyed, event, hits);
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

  /**
   * False when {@code event} misses one of the requirements of {@code condition} (one of the
   * indexed rules' conditions), so the condition cannot hold for it and needs no CEL evaluation;
   * true when it may hold, or when the condition is not one of this index's.
   */
  public boolean mayHold(Condition condition, Touchpoint event) {
    List<Requirement> required = requirements.get(condition);
    return required == null || meetsAll(required, event);
  }

  // a loop, not a stream: this runs for every condition an event reaches
  private static boolean meetsAll(List<Requirement> requirements, Touchpoint event) {
    for (Requirement requirement : requirements) {
      if (!requirement.heldBy(event)) {
        return false;
      }
    }
    return true;
  }

  private static void mark(List<FiledCondition> conditions, Touchpoint event, BitSet hits) {
    for (FiledCondition condition : conditions) {
      if (!hits.get(condition.position()) && condition.mayHoldFor(event)) {
        hits.set(condition.position());
      }
    }
  }

  private void file(LookupKey key, FiledCondition condition) {
    Map<String, List<FiledCondition>> byValue =
        byField.computeIfAbsent(key.field(), f -> new HashMap<>());
    key.values().forEach(v -> byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(condition));
  }

  private static Stream<LookupKey> keys(FiledCondition condition) {
    return condition.requirements().stream()
        .filter(LookupKey.class::isInstance)
        .map(LookupKey.class::cast);
  }

  /** How many conditions would be found with this one: the more, the less the key sorts out. */
  private static int sharedBy(LookupKey key, Map<TouchpointField, Map<String, Integer>> sharing) {
    Map<String, Integer> byValue = sharing.getOrDefault(key.field(), Map.of());
    return key.values().stream().mapToInt(byValue::get).sum(); // no values: never found
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
