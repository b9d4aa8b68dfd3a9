package dev.engage.rules.cel;

import dev.cel.common.CelErrorCode;
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

  /** What evaluating the condition gave. */
  public enum Answer {
    HOLDS,
    DOES_NOT_HOLD,
    /** A runtime error other than missing data (a division by zero, an overflow, a bad format). */
    FAILED
  }

  /**
   * Whether the condition holds. A value the data does not have (an unset optional field or a
   * missing map key read without {@code has()}) makes the condition false rather than failing the
   * caller; any other runtime error makes it false too.
   */
  public boolean test(Map<String, Object> bindings) {
    return answer(bindings) == Answer.HOLDS;
  }

  /**
   * Like {@link #test}, telling a runtime error apart from missing data: reading what the data
   * lacks is normal for a rule (the attribute is on some events only) and does not hold, while a
   * division by zero or a bad timestamp is a fault in the rule that its owner should hear about.
   */
  public Answer answer(Map<String, Object> bindings) {
    try {
      return Boolean.TRUE.equals(program.eval(bindings)) ? Answer.HOLDS : Answer.DOES_NOT_HOLD;
    } catch (CelEvaluationException e) {
      return e.getErrorCode() == CelErrorCode.ATTRIBUTE_NOT_FOUND
          ? Answer.DOES_NOT_HOLD
          : Answer.FAILED;
    }
  }
}
