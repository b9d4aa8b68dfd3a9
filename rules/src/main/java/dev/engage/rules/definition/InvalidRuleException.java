package dev.engage.rules.definition;

import java.util.List;

/** A rule that cannot be saved; every problem with its line, column and field. */
public final class InvalidRuleException extends RuntimeException {
  private final List<RuleProblem> problems;

  public InvalidRuleException(List<RuleProblem> problems) {
    super(String.join("\n", problems.stream().map(RuleProblem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  public List<RuleProblem> problems() {
    return problems;
  }
}
