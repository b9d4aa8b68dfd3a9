package dev.engage.rules.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled, type-checked CEL condition, ready to evaluate against bindings made with {@link
 * AvroCelValues}. Thread-safe.
 */
public final class Condition {
  private final String expression;
  private final CelExpr checked;
  private final CelRuntime.Program program;

  Condition(String expression, CelExpr checked, CelRuntime.Program program) {
    this.expression = expression;
    this.checked = checked;
    this.program = program;
  }

  public String expression() {
    return expression;
  }

  /** The type-checked syntax tree, for indexing rules by what their conditions require. */
  public CelExpr checked() {
    return checked;
  }

  /**
   * Whether the condition holds. A value the data does not have (an unset optional field read
   * without {@code has()}) makes the condition false rather than failing the caller.
   */
  public boolean test(Map<String, Object> bindings) {
    try {
      return Boolean.TRUE.equals(program.eval(bindings));
    } catch (CelEvaluationException e) {
      return false;
    }
  }
}
