package dev.engage.rules.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Optional;

/** A compiled, type-checked CEL value expression (a number or a timestamp). Thread-safe. */
public final class Expression {
  private final String expression;
  private final CelRuntime.Program program;

  Expression(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  public String expression() {
    return expression;
  }

  /** The value, or empty when the data lacks what the expression reads. */
  public Optional<Object> eval(Map<String, Object> bindings) {
    try {
      return Optional.ofNullable(program.eval(bindings));
    } catch (CelEvaluationException e) {
      return Optional.empty();
    }
  }
}
