package dev.engage.rules.definition;

/**
 * A problem in a rule definition, where a marketer can find it.
 *
 * @param line 1-based line in the definition
 * @param column 1-based column
 * @param path the field, e.g. {@code when.within}
 */
public record RuleProblem(int line, int column, String path, String message) {
  @Override
  public String toString() {
    return line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
