package dev.engage.rules.index;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.definition.Rule;
import java.util.Collection;
import java.util.List;

/**
 * Active rules, indexed by what their event conditions require of a touchpoint: built once for a
 * fixed set ({@link RuleIndex}) or kept up to date as rules change one at a time ({@link
 * LiveRuleIndex}).
 */
public interface IndexedRules {
  /** All the rules. */
  List<Rule> rules();

  /** The rule of this id; null when it is not one of these. */
  Rule rule(String id);

  /**
   * The rules {@code event} can affect for a customer holding state for the rules {@code withState}
   * (ids): those a condition that opens a case of them may hold for, and those with state.
   */
  List<Rule> candidates(Touchpoint event, Collection<String> withState);

  /**
   * The answer of {@code condition} (one of the rules' conditions) for {@code event} as far as its
   * requirements give it without CEL: {@code DOES_NOT_HOLD} when the event misses one, {@code
   * HOLDS} when it meets them all and they are all the condition asks; null when only an evaluation
   * can tell, or when the condition is not one of these rules'.
   */
  Condition.Answer answerWithoutCel(Condition condition, Touchpoint event);
}
