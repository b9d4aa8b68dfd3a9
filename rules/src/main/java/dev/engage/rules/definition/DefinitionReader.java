package dev.engage.rules.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.engage.rules.FieldSuggestions;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.ConditionProblem;
import dev.engage.rules.cel.Expression;
import dev.engage.rules.cel.InvalidConditionException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One read of a definition (any kind): the tree being read, the conditions' compiler and the
 * problems found so far. The readers of rules, segments and scoring models take their fields from
 * it and report their own checks to it, so every kind words and places its problems the same way.
 */
final class DefinitionReader {
  /** The kinds of definition, in the order they are listed to a marketer. */
  static final List<String> KINDS =
      List.of(Rule.KIND, Segment.KIND, ScoringModel.KIND, Offer.KIND, ValueModel.KIND);

  /** What a rule or offer is for, as written: marketing (the default) or transactional. */
  static final List<String> PURPOSES = List.of("marketing", "transactional");

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");
  private static final Pattern INDEXED = Pattern.compile("(\\w+)\\[(\\d+)]");

  private final SourceTree tree;
  private final ConditionCompiler compiler;
  private final List<RuleProblem> problems = new ArrayList<>();

  private DefinitionReader(SourceTree tree, ConditionCompiler compiler) {
    this.tree = tree;
    this.compiler = compiler;
  }

  /** Starts reading YAML or JSON; throws {@link InvalidRuleException} when it is neither. */
  static DefinitionReader of(String source, ConditionCompiler compiler) {
    return new DefinitionReader(SourceTree.parse(source), compiler);
  }

  JsonNode root() {
    return tree.root();
  }

  /**
   * The definition's kind ({@code rule} when not given). Throws when the definition is not a
   * mapping or its kind is unknown, as its other fields cannot be checked then.
   */
  String kind() {
    if (!root().isObject()) {
      report("", "a definition must be a mapping of fields (kind, id, name...)");
      throwIfInvalid();
    }
    if (!root().has("kind")) {
      return Rule.KIND;
    }
    String kind = text("kind", true);
    if (kind != null && !KINDS.contains(kind)) {
      report(
          "kind",
          "unknown kind '"
              + kind
              + "'"
              + suggestion(kind, KINDS)
              + "; kinds are "
              + String.join(" | ", KINDS));
    }
    throwIfInvalid();
    return kind;
  }

  /** The required id: lower-case letters, digits and dashes. */
  String id() {
    String id = text("id", true);
    if (id != null && !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      report(
          "id",
          "must be lower-case letters, digits and dashes (at most 64), e.g. cart-abandonment");
    }
    return id;
  }

  /** The top-level {@code enabled} switch, on when not given. */
  boolean enabled() {
    return !root().has("enabled") || root().path("enabled").asBoolean(true);
  }

  /** A text value; null (and a problem when required) when absent. */
  String text(String path, boolean required) {
    JsonNode value = node(path);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        report(path, "is required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      report(path, "must be a non-empty text");
      return null;
    }
    return value.asText();
  }

  /** The value at a dotted path with list indexes ({@code when.steps[0]}); missing when absent. */
  JsonNode node(String path) {
    JsonNode node = tree.root();
    for (String part : path.split("\\.")) {
      Matcher indexed = INDEXED.matcher(part);
      node =
          indexed.matches()
              ? node.path(indexed.group(1)).path(Integer.parseInt(indexed.group(2)))
              : node.path(part);
    }
    return node;
  }

  /** A required CEL condition (true or false), compiled; null after a problem. */
  Condition condition(String path, ConditionCompiler.Scope scope) {
    String expression = text(path, true);
    if (expression == null) {
      return null;
    }
    try {
      return compiler.compile(expression, scope);
    } catch (InvalidConditionException e) {
      addConditionProblems(path, e);
      return null;
    }
  }

  /** A required CEL value expression of the expected type, compiled; null after a problem. */
  Expression value(String path, ConditionCompiler.Scope scope, CelType expected, String described) {
    if (!node(path).isTextual()) {
      report(path, "is required: a CEL expression");
      return null;
    }
    try {
      return compiler.compileValue(text(path, true), scope, expected, described);
    } catch (InvalidConditionException e) {
      addConditionProblems(path, e);
      return null;
    }
  }

  /** A required positive duration: 90s, 30m, 24h, 3d or 2w. */
  Duration duration(String path) {
    JsonNode value = node(path);
    if (value.isMissingNode() || value.isNull()) {
      report(path, "is required: a duration like 90s, 30m, 24h, 3d or 2w");
      return null;
    }
    Matcher m = DURATION.matcher(value.asText("").trim());
    if (!value.isTextual() || !m.matches() || Long.parseLong(m.group(1)) == 0) {
      report(path, "must be a positive duration like 90s, 30m, 24h, 3d or 2w");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** A required whole number of at least 1; 0 after a problem. */
  int positive(String path) {
    JsonNode value = node(path);
    if (!value.isIntegralNumber() || value.asLong() < 1) {
      report(path, "must be a whole number of at least 1");
      return 0;
    }
    return value.asInt();
  }

  /** A required number (whole or decimal, any sign); 0 after a problem. */
  double number(String path) {
    JsonNode value = node(path);
    if (value.isMissingNode() || value.isNull()) {
      report(path, "is required: a number");
      return 0;
    }
    if (!value.isNumber()) {
      report(path, "must be a number");
      return 0;
    }
    return value.asDouble();
  }

  /** A required action code in UPPER_SNAKE_CASE. */
  String actionCode(String path) {
    String code = text(path, true);
    if (code != null && !code.matches("[A-Z][A-Z0-9_]*")) {
      report(path, "must be UPPER_SNAKE_CASE, e.g. CART_REMINDER");
    }
    return code;
  }

  /** A priority from 0 to 100; 50 when not given. */
  int priority(String path) {
    JsonNode value = node(path);
    if (value.isMissingNode()) {
      return 50;
    }
    if (!value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > 100) {
      report(path, "must be a whole number from 0 to 100");
      return 50;
    }
    return value.asInt();
  }

  /** The top-level {@code purpose}: marketing when not given. */
  Purpose purpose() {
    if (!root().has("purpose")) {
      return Purpose.MARKETING;
    }
    String purpose = text("purpose", true);
    if (purpose != null && !PURPOSES.contains(purpose)) {
      report(
          "purpose",
          "unknown purpose '"
              + purpose
              + "'"
              + suggestion(purpose, PURPOSES)
              + "; purposes are "
              + String.join(" | ", PURPOSES));
      return Purpose.MARKETING;
    }
    return purpose == null ? Purpose.MARKETING : Purpose.valueOf(purpose.toUpperCase(Locale.ROOT));
  }

  /**
   * A business value: a number of at least 0, or a CEL expression giving a number; worth 1 when not
   * given.
   */
  BusinessValue businessValue(String path, ConditionCompiler.Scope scope) {
    JsonNode value = node(path);
    if (value.isMissingNode() || value.isNull()) {
      return BusinessValue.ONE;
    }
    if (value.isNumber() && value.asDouble() >= 0) {
      return new BusinessValue(value.asDouble(), null);
    }
    if (!value.isTextual()) {
      report(path, "must be a number of at least 0 or a CEL expression giving a number");
      return BusinessValue.ONE;
    }
    Expression expression = value(path, scope, SimpleType.DOUBLE, "a number");
    return expression == null ? BusinessValue.ONE : new BusinessValue(0, expression);
  }

  /** A required UTC date-time. */
  Instant instant(String path) {
    try {
      return Instant.parse(node(path).asText(""));
    } catch (DateTimeParseException e) {
      report(path, "must be a UTC date-time like 2026-12-01T00:00:00Z");
      return null;
    }
  }

  /** Reports every field of the object not among the known ones, at its name. */
  void rejectUnknown(JsonNode object, String path, Set<String> known) {
    if (!object.isObject()) {
      return;
    }
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String fieldPath = path.isEmpty() ? name : path + "." + name;
        SourceTree.Position at = tree.keyPositionOf(fieldPath);
        problems.add(
            new RuleProblem(
                at.line(),
                at.column(),
                fieldPath,
                "unknown field '" + name + "'" + suggestion(name, known)));
      }
    }
  }

  /** Reports a problem with the value at the path. */
  void report(String path, String message) {
    problems.add(problem(path, message));
  }

  /** A problem placed at the value at the path (or, when it is absent, at its nearest parent). */
  RuleProblem problem(String path, String message) {
    SourceTree.Position at = tree.positionOf(path);
    return new RuleProblem(at.line(), at.column(), path, message);
  }

  /** Throws {@link InvalidRuleException} with every problem found so far, if any. */
  void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidRuleException(problems);
    }
  }

  /** " (did you mean 'x'?)" when a known name is close to the misspelt one, else "". */
  static String suggestion(String misspelt, Collection<String> known) {
    String nearest = FieldSuggestions.nearest(misspelt, known);
    return nearest == null ? "" : " (did you mean '" + nearest + "'?)";
  }

  private void addConditionProblems(String path, InvalidConditionException e) {
    for (ConditionProblem p : e.problems()) {
      SourceTree.Position at = tree.positionInside(path, p.line(), p.column());
      problems.add(new RuleProblem(at.line(), at.column(), path, p.message()));
    }
  }
}
