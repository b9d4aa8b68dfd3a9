package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The active rules, indexed by what their event conditions require of a touchpoint, so that an
 * event reaches only the rules it can affect instead of every rule. Built once when the active set
 * changes; immutable, so one index serves every customer.
 *
 * <p>A rule is left alone by an event when none of the event conditions that open a case of it can
 * hold (each misses one of its {@link Requirement}s) and the customer keeps no state for it: the
 * evaluator then neither fires nor changes anything. A rule the customer holds state for is
 * evaluated when the event may meet any of its event conditions; a sequence or a rule with a
 * cooldown always, because an event's time alone can close the window or end the cooldown.
 *
 * <p>A condition is filed under the values of its string keys together, as a rule engine's network
 * hashes one field and then the next: {@code type == 'a' && attributes.campaign == 'c17'} under
 * that pair, a key with several values ({@code in}, a disjunction) under each combination, so that
 * an event finds only the conditions that agree with it on every such field rather than every
 * condition on a value common to many rules ({@code type == 'page_view'}). Keys with many values
 * are left out of the combination when it would grow past {@link #MAX_COMBINATIONS} entries. The
 * event looks up its own values of each group of fields filed under, and a condition found is kept
 * only if the event also meets its other requirements (the keys left out, numeric bounds), a few
 * field reads instead of a CEL evaluation. A condition with no string key is checked that way on
 * every event; one with no requirement at all always lets its rule through.
 */
public final class RuleIndex implements IndexedRules {
  /** At most this many entries for one condition (the product of its keys' numbers of values). */
  private static final int MAX_COMBINATIONS = 64;

  private final List<Rule> rules;
  private final Map<String, Integer> positions = new HashMap<>();
  // by the fields a condition is filed under, then by their values, in the fields' order
  private final Map<List<TouchpointField>, Map<List<String>, List<FiledCondition>>> byFields =
      new HashMap<>();
  private final List<FiledCondition> unkeyed = new ArrayList<>();
  // by position: the requirements of each event condition of the rule, one of which an event must
  // meet to move a case the customer holds; null when any event can (see movesCase)
  private final List<List<List<Requirement>>> movedBy = new ArrayList<>();
  private final Map<Condition, List<Requirement>> requirements = new IdentityHashMap<>();
  // the conditions that hold exactly when their requirements are met
  private final Set<Condition> decided = Collections.newSetFromMap(new IdentityHashMap<>());

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
      List<List<Requirement>> moving = new ArrayList<>();
      for (Condition condition : eventConditions(rule.trigger())) {
        moving.add(requirements.computeIfAbsent(condition, ConditionRequirements::of));
        if (ConditionRequirements.decidedByRequirements(condition)) {
          decided.add(condition);
        }
      }
      boolean anyEventMoves =
          rule.trigger() instanceof Trigger.Sequence || !rule.cooldown().isZero();
      movedBy.add(anyEventMoves ? null : moving);
      for (Condition condition : entryConditions(rule.trigger())) {
        conditions.add(new FiledCondition(i, requirements.get(condition)));
      }
    }
    for (FiledCondition condition : conditions) {
      List<LookupKey> keys = filingKeys(condition);
      if (keys.isEmpty()) {
        unkeyed.add(condition);
      } else {
        file(keys, condition);
      }
    }
  }

  /** Indexes {@code rules}, which keep their order in every answer. */
  public static RuleIndex of(List<Rule> rules) {
    return new RuleIndex(rules);
  }

  /** All the rules, in their order. */
  @Override
  public List<Rule> rules() {
    return rules;
  }

  @Override
  public Rule rule(String id) {
    Integer position = positions.get(id);
    return position == null ? null : rules.get(position);
  }

  /**
   * The rules {@code event} can affect for a customer holding state for the rules {@code withState}
   * (ids), in the order of {@link #rules()}.
   */
  @Override
  public List<Rule> candidates(Touchpoint event, Collection<String> withState) {
    BitSet hits = new BitSet(rules.size());
    for (Map.Entry<List<TouchpointField>, Map<List<String>, List<FiledCondition>>> group :
        byFields.entrySet()) {
      List<String> values = valuesOf(event, group.getKey());
      List<FiledCondition> filed = values == null ? null : group.getValue().get(values);
      if (filed != null) {
        mark(filed, event, hits);
      }
    }
    mark(unkeyed, event, hits);
    for (String id : withState) {
      Integer position = positions.get(id);
      if (position != null && !hits.get(position) && movesCase(position, event)) {
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
   * The answer of {@code condition} (one of the indexed rules' conditions) for {@code event} as far
   * as its requirements give it without CEL: {@code DOES_NOT_HOLD} when the event misses one,
   * {@code HOLDS} when it meets them all and they are all the condition asks; null when only an
   * evaluation can tell, or when the condition is not one of this index's.
   */
  @Override
  public Condition.Answer answerWithoutCel(Condition condition, Touchpoint event) {
    List<Requirement> required = requirements.get(condition);
    if (required == null) {
      return null;
    }
    if (!meetsAll(required, event)) {
      return Condition.Answer.DOES_NOT_HOLD;
    }
    return decided.contains(condition) ? Condition.Answer.HOLDS : null;
  }

  /**
   * Whether {@code event} can move a case of the rule at {@code position} that a customer holds:
   * only through one of its event conditions (a count counts matches, an absence ends on its {@code
   * not}), but for a sequence, which any later event can leave outside its window, and a rule with
   * a cooldown, whose state any event past the cooldown drops (a late event after that fires). A
   * stale version is reset on the next evaluation either way.
   */
  private boolean movesCase(int position, Touchpoint event) {
    List<List<Requirement>> moving = movedBy.get(position);
    if (moving == null) {
      return true;
    }
    for (List<Requirement> required : moving) {
      if (meetsAll(required, event)) {
        return true;
      }
    }
    return false;
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

  /**
   * The keys to file a condition under together, in the order of their fields: all of them, but for
   * the keys with the most values once filing under every combination of values would take more
   * than {@link #MAX_COMBINATIONS} entries.
   */
  private static List<LookupKey> filingKeys(FiledCondition condition) {
    List<LookupKey> keys = new ArrayList<>();
    int combinations = 1;
    for (LookupKey key :
        keys(condition).sorted(Comparator.comparingInt(key -> key.values().size())).toList()) {
      if (combinations * key.values().size() > MAX_COMBINATIONS) {
        break;
      }
      combinations *= Math.max(1, key.values().size());
      keys.add(key);
    }
    keys.sort(Comparator.comparing(key -> key.field().name()));
    return keys;
  }

  /**
   * Files the condition under each combination of the values of {@code keys} (one combination for
   * equalities with one value each, so that {@code type == 'a' && attributes.category == 'c'} is
   * found by the pair, not among every condition on either). A key with no value, which nothing
   * meets, files it nowhere.
   */
  private void file(List<LookupKey> keys, FiledCondition condition) {
    Map<List<String>, List<FiledCondition>> byValues =
        byFields.computeIfAbsent(
            keys.stream().map(LookupKey::field).toList(), f -> new HashMap<>());
    List<List<String>> combinations = List.of(List.of());
    for (LookupKey key : keys) {
      List<List<String>> longer = new ArrayList<>();
      for (List<String> combination : combinations) {
        for (String value : key.values()) {
          List<String> next = new ArrayList<>(combination);
          next.add(value);
          longer.add(next);
        }
      }
      combinations = longer;
    }
    combinations.forEach(
        values -> byValues.computeIfAbsent(values, v -> new ArrayList<>()).add(condition));
  }

  /** The event's values of {@code fields}, in their order; null when it lacks one. */
  private static List<String> valuesOf(Touchpoint event, List<TouchpointField> fields) {
    String[] values = new String[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = fields.get(i).valueOf(event);
      if (values[i] == null) {
        return null;
      }
    }
    return Arrays.asList(values);
  }

  private static Stream<LookupKey> keys(FiledCondition condition) {
    return condition.requirements().stream()
        .filter(LookupKey.class::isInstance)
        .map(LookupKey.class::cast);
  }

  /**
   * The conditions through which a touchpoint can affect a rule of this kind for a customer holding
   * no state for it: what opens a case. The others (an absence's or deadline's {@code not}, the
   * later steps of an ordered sequence) only close or continue a case, so they matter only to
   * customers who hold one, and those reach the rule by their state. Without this, every {@code
   * event.type == 'purchase'} event would reach every absence rule that a purchase closes.
   */
  private static List<Condition> entryConditions(Trigger trigger) {
    if (trigger instanceof Trigger.Sequence t && t.ordered()) {
      return List.of(t.steps().get(0));
    }
    if (trigger instanceof Trigger.Absence t) {
      return List.of(t.first());
    }
    if (trigger instanceof Trigger.Deadline t) {
      return List.of(t.first());
    }
    return eventConditions(trigger);
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
