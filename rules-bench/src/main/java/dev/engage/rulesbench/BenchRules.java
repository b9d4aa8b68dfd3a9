package dev.engage.rulesbench;

import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import java.util.ArrayList;
import java.util.List;

/** Parses a benchmark workload's rule definitions as the rule store would. */
final class BenchRules {
  private BenchRules() {}

  static List<Rule> parse(List<String> sources) {
    RuleParser parser = new RuleParser(new ConditionCompiler());
    List<Rule> rules = new ArrayList<>();
    for (String source : sources) {
      rules.add(parser.parse(source));
    }
    return rules;
  }
}
