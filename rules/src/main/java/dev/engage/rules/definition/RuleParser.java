package dev.engage.rules.definition;

import dev.engage.rules.cel.ConditionCompiler;

/**
 * Reads a trigger rule written in YAML (or JSON) into a {@link Rule}, compiling its CEL conditions.
 * Collects every problem, each with its line, column and field, before refusing the rule, so a
 * marketer fixes them in one go. A definition of another kind (a segment, a scoring model) is
 * refused; {@link DefinitionParser} reads every kind.
 */
public final class RuleParser {
  private final ConditionCompiler compiler;

  public RuleParser(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  /** The rule, or {@link InvalidRuleException} listing every problem. */
  public Rule parse(String source) {
    DefinitionReader in = DefinitionReader.of(source, compiler);
    String kind = in.kind();
    if (!kind.equals(Rule.KIND)) {
      in.report("kind", "this is " + Definition.described(kind) + ", not a trigger rule");
      in.throwIfInvalid();
    }
    return new RuleReader(in).read();
  }
}
