package dev.engage.rules.evaluation;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.engage.avro.CustomerProfile;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.Condition;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a customer is in a rule's audience, evaluated once per customer, profile version and
 * audience instead of once per firing: an audience is CEL over the profile, and converting the
 * profile for it costs more than the rest of a firing. Bounded: the least recently asked answers go
 * first once {@code capacity} are kept, so memory stays flat however many customers pass; a
 * customer asked again after that is evaluated again, nothing worse. An audience that reads {@code
 * now} changes with time, not only with the profile, and is never kept; neither is the answer for a
 * customer without a profile.
 */
public final class AudienceAnswers {
  private final Map<String, Condition.Answer> answers;
  private final Map<String, Boolean> readsNow = new HashMap<>();
  private final int capacity;
  private long evaluations;

  /** Keeps up to {@code capacity} answers; 0 keeps none and evaluates every time. */
  public AudienceAnswers(int capacity) {
    this.capacity = capacity;
    this.answers =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Condition.Answer> eldest) {
            return size() > AudienceAnswers.this.capacity;
          }
        };
  }

  /** Whether the profile (null: none yet) is in {@code audience} at {@code at}. */
  public boolean holds(Condition audience, CustomerProfile profile, Instant at) {
    return answer(audience, profile, at) == Condition.Answer.HOLDS;
  }

  /** The audience's answer for the profile (null: none yet) at {@code at}. */
  public Condition.Answer answer(Condition audience, CustomerProfile profile, Instant at) {
    if (capacity == 0 || profile == null || readsNow(audience)) {
      return evaluate(audience, profile, at);
    }
    String key =
        profile.getCustomerId()
            + '\u0000'
            + profile.getVersion()
            + '\u0000'
            + audience.expression();
    Condition.Answer answer = answers.get(key);
    if (answer == null) {
      answer = evaluate(audience, profile, at);
      answers.put(key, answer);
    }
    return answer;
  }

  /** How many times an audience was evaluated rather than answered from what is kept. */
  public long evaluations() {
    return evaluations;
  }

  private Condition.Answer evaluate(Condition audience, CustomerProfile profile, Instant at) {
    evaluations++;
    return audience.answer(CelBindings.profile(profile, at));
  }

  private boolean readsNow(Condition audience) {
    return readsNow.computeIfAbsent(
        audience.expression(),
        text ->
            CelNavigableExpr.fromExpr(audience.checked())
                .allNodes()
                .map(CelNavigableExpr::expr)
                .anyMatch(
                    e ->
                        e.getKind() == CelExpr.ExprKind.Kind.IDENT
                            && e.ident().name().equals("now")));
  }
}
