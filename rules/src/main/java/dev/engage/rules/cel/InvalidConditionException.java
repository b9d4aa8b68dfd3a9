package dev.engage.rules.cel;

import java.util.List;

/** A condition that does not compile or type-check; each problem has its position. */
public final class InvalidConditionException extends RuntimeException {
  private final List<ConditionProblem> problems;

  public InvalidConditionException(List<ConditionProblem> problems) {
    super(
        String.join(
            "; ",
            problems.stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList()));
    this.problems = List.copyOf(problems);
  }

  public List<ConditionProblem> problems() {
    return problems;
  }
}
