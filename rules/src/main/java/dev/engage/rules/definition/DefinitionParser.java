package dev.engage.rules.definition;

import dev.engage.rules.cel.ConditionCompiler;

/**
 * Reads any definition marketing publishes, written in YAML (or JSON): a trigger rule, a segment, a
 * scoring model, an offer or a value model, told apart by the top-level {@code kind} ({@code rule}
 * when not given). Conditions are compiled and type-checked; every problem is reported at once with
 * its line, column and field.
 */
public final class DefinitionParser {
  private final ConditionCompiler compiler;

  public DefinitionParser(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  /** The definition, or {@link InvalidRuleException} listing every problem. */
  public Definition parse(String source) {
    DefinitionReader in = DefinitionReader.of(source, compiler);
    return switch (in.kind()) {
      case Segment.KIND -> new SegmentReader(in).read();
      case ScoringModel.KIND -> new ScoringModelReader(in).read();
      case Offer.KIND -> new OfferReader(in).read();
      case ValueModel.KIND -> new ValueModelReader(in).read();
      default -> new RuleReader(in).read();
    };
  }

  /**
   * A problem found outside the parser (against what is already published, say), placed at the
   * field's line and column in the source. The source must be one {@link #parse} accepted.
   */
  public RuleProblem problemAt(String source, String path, String message) {
    return DefinitionReader.of(source, compiler).problem(path, message);
  }
}
