package dev.engage.rules.evaluation;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.index.IndexedRules;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A touchpoint and the customer's profile, converted once into CEL bindings ({@code event}, {@code
 * profile}, {@code now}) so that one event can be evaluated against hundreds of rules without
 * converting it for each, and only when a condition is evaluated at all: most events meet no rule's
 * requirements in the {@code RuleIndex} and are never converted. Made by {@link
 * RuleEvaluator#bind}.
 *
 * <p>It also remembers each condition's answer by its text: many rules share a condition (every
 * step {@code event.type == 'purchase'}, every campaign's count of the same views), and a CEL
 * condition is a pure function of the bindings, so one evaluation per event serves them all. Used
 * for one event only, so it needs no bound.
 */
public final class BoundEvent {
  private final Touchpoint event;
  private final CustomerProfile profile;
  private final IndexedRules index;
  private final Map<String, Condition.Answer> answers = new HashMap<>();
  private Map<String, Object> bindings;
  private Map<String, String> values;

  BoundEvent(Touchpoint event, CustomerProfile profile, IndexedRules index) {
    this.event = event;
    this.profile = profile;
    this.index = index;
  }

  public Touchpoint event() {
    return event;
  }

  public CustomerProfile profile() {
    return profile;
  }

  public Map<String, Object> bindings() {
    if (bindings == null) {
      bindings = CelBindings.event(event, profile);
    }
    return bindings;
  }

  /** The event's values a firing names, made once however many rules fire on the event. */
  public Map<String, String> values() {
    if (values == null) {
      values = valuesOf(event);
    }
    return values;
  }

  /**
   * Whether the condition holds for this event, evaluated at most once per condition text, and not
   * at all when the event misses what the index knows the condition requires.
   */
  public boolean test(Condition condition) {
    return answer(condition) == Condition.Answer.HOLDS;
  }

  /**
   * The condition's answer for this event, evaluated at most once per condition text, and not at
   * all when the index's requirements give it: one whose requirements the event misses does not
   * hold, one that asks no more than them holds when the event meets them.
   */
  public Condition.Answer answer(Condition condition) {
    Condition.Answer answer = answers.get(condition.expression());
    if (answer == null) {
      answer = index.answerWithoutCel(condition, event);
      if (answer == null) {
        answer = condition.answer(bindings());
      }
      answers.put(condition.expression(), answer);
    }
    return answer;
  }

  private static Map<String, String> valuesOf(Touchpoint event) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("event.type", event.getType());
    values.put("event.channel", event.getChannel());
    if (event.getAmount() != null) {
      values.put("event.amount", event.getAmount().toString());
    }
    if (event.getStatus() != null) {
      values.put("event.status", event.getStatus());
    }
    if (event.getDelayMinutes() != null) {
      values.put("event.delayMinutes", event.getDelayMinutes().toString());
    }
    event.getAttributes().forEach((key, value) -> values.put("event.attributes." + key, value));
    return Collections.unmodifiableMap(values);
  }
}
