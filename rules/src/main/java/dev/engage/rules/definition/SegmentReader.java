package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import java.util.Set;

/** Reads the fields of a segment ({@code kind: segment}) into a {@link Segment}. */
final class SegmentReader {
  private static final Set<String> FIELDS =
      Set.of("kind", "id", "name", "description", "owner", "enabled", "condition");

  private final DefinitionReader in;

  SegmentReader(DefinitionReader in) {
    this.in = in;
  }

  /** The segment, or {@link InvalidRuleException} listing every problem. */
  Segment read() {
    in.rejectUnknown(in.root(), "", FIELDS);
    String id = in.id();
    String name = in.text("name", true);
    String description = in.text("description", false);
    String owner = in.text("owner", false);
    Condition condition = in.condition("condition", ConditionCompiler.Scope.PROFILE);
    in.throwIfInvalid();
    return new Segment(id, name, description, owner, in.enabled(), condition, 0);
  }
}
