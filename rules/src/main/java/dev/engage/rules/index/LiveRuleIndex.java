package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The active rules of a running job, indexed, as they change one at a time on the rules topic.
 *
 * <p>Building a {@link RuleIndex} again on every change costs the whole set each time: a thousand
 * rules applied at once, with touchpoints arriving between the changes, cost a thousand builds of
 * up to a thousand rules. So the index is kept in two layers: one over the rules as they were at
 * the last full build ({@code settled}), and a small one over the rules changed since ({@code
 * recent}), built again on the first lookup after a change; a rule changed or deleted since the
 * full build is hidden from the first layer. Once more rules have changed than the square root of
 * the set (at least {@link #MIN_CHANGES}), the whole set is built again in one. A batch of {@code
 * n} changes between touchpoints then costs about {@code n} times the square root of {@code n}
 * filings instead of {@code n} squared, and an event's lookups stay those of two indexes.
 *
 * <p>Not thread-safe: one operator instance owns one.
 */
public final class LiveRuleIndex implements IndexedRules {
  private static final int MIN_CHANGES = 64;

  // the active rules by id, in the order they first arrived
  private final Map<String, Rule> active = new LinkedHashMap<>();
  // the ids put or removed since settled was built
  private final Set<String> changed = new HashSet<>();
  private RuleIndex settled = RuleIndex.of(List.of());
  // over the changed rules still active; null when a change came since it was built
  private RuleIndex recent = RuleIndex.of(List.of());
  private List<Rule> all = List.of();

  /** Adds the rule, or replaces the active rule of its id. */
  public void put(Rule rule) {
    active.put(rule.id(), rule);
    changed(rule.id());
  }

  /** Takes the rule of this id out, if it was active. */
  public void remove(String id) {
    if (active.remove(id) != null) {
      changed(id);
    }
  }

  private void changed(String id) {
    changed.add(id);
    recent = null;
  }

  @Override
  public List<Rule> rules() {
    refresh();
    return all;
  }

  @Override
  public Rule rule(String id) {
    return active.get(id);
  }

  @Override
  public List<Rule> candidates(Touchpoint event, Collection<String> withState) {
    refresh();
    List<Rule> candidates = new ArrayList<>();
    for (Rule rule : settled.candidates(event, withState)) {
      if (!changed.contains(rule.id())) {
        candidates.add(rule);
      }
    }
    candidates.addAll(recent.candidates(event, withState));
    return candidates;
  }

  @Override
  public Condition.Answer answerWithoutCel(Condition condition, Touchpoint event) {
    refresh();
    Condition.Answer answer = recent.answerWithoutCel(condition, event);
    return answer != null ? answer : settled.answerWithoutCel(condition, event);
  }

  private void refresh() {
    if (recent != null) {
      return;
    }
    if (changed.size() > Math.max(MIN_CHANGES, Math.sqrt(active.size()))) {
      settled = RuleIndex.of(List.copyOf(active.values()));
      changed.clear();
    }
    recent = RuleIndex.of(changed.stream().map(active::get).filter(Objects::nonNull).toList());
    all = List.copyOf(active.values());
  }
}
