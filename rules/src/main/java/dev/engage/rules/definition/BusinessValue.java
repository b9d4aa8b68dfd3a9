package dev.engage.rules.definition;

import dev.engage.rules.cel.Expression;
import java.util.Map;

/**
 * What an action is worth to the business, the V of the ranking formula: a number, or a CEL
 * expression over the profile, such as {@code profile.predictedValue12m * 0.05}.
 *
 * @param constant the value when {@code expression} is null
 * @param expression null for a constant value
 */
public record BusinessValue(double constant, Expression expression) {
  /** Worth 1: what an action without a declared value counts for. */
  public static final BusinessValue ONE = new BusinessValue(1, null);

  /**
   * The value for these bindings. An expression that reads what the data lacks, or gives a negative
   * or non-finite number, is worth 0: such an action ranks last rather than failing the decision.
   */
  public double of(Map<String, Object> bindings) {
    if (expression == null) {
      return constant;
    }
    double value =
        expression
            .eval(bindings)
            .filter(Number.class::isInstance)
            .map(v -> ((Number) v).doubleValue())
            .orElse(0.0);
    return Double.isFinite(value) && value > 0 ? value : 0;
  }

  /** As a marketer wrote it: the number or the expression. */
  public String written() {
    return expression == null ? Double.toString(constant) : expression.expression();
  }
}
