package dev.engage.rules.definition;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rule written in YAML (or JSON) into a {@link Rule}, compiling its CEL conditions.
 * Collects every problem, each with its line, column and field, before refusing the rule, so a
 * marketer fixes them in one go.
 */
public final class RuleParser {
  static final Set<String> KINDS =
      Set.of("event", "count", "sequence", "absence", "deadline", "threshold", "segment");
  static final Set<String> CHANNELS = Set.of("preferred", "email", "sms", "push", "in_app", "none");
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "id",
          "name",
          "description",
          "owner",
          "enabled",
          "audience",
          "when",
          "action",
          "policy",
          "schedule");
  private static final Map<String, Set<String>> WHEN_FIELDS =
      Map.of(
          "event", Set.of("kind", "condition"),
          "count", Set.of("kind", "match", "atLeast", "within"),
          "sequence", Set.of("kind", "steps", "within", "ordered"),
          "absence", Set.of("kind", "first", "not", "within"),
          "deadline", Set.of("kind", "first", "not", "due", "before"),
          "threshold", Set.of("kind", "value", "above", "below"),
          "segment", Set.of("kind", "segment", "on"));
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

  private final ConditionCompiler compiler;

  public RuleParser(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  /** The rule, or {@link InvalidRuleException} listing every problem. */
  public Rule parse(String source) {
    SourceTree tree = SourceTree.parse(source);
    return new Reading(tree).rule();
  }

  /** One parse: the tree being read and the problems found so far. */
  private final class Reading {
    private final SourceTree tree;
    private final List<RuleProblem> problems = new ArrayList<>();

    Reading(SourceTree tree) {
      this.tree = tree;
    }

    Rule rule() {
      JsonNode root = tree.root();
      if (!root.isObject()) {
        throw new InvalidRuleException(
            List.of(problem("", "a rule must be a mapping of fields (id, name, when, action...)")));
      }
      rejectUnknown(root, "", TOP_LEVEL);
      String id = text("id", true);
      if (id != null && !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
        problems.add(
            problem(
                "id",
                "must be lower-case letters, digits and dashes (at most 64), e.g. cart-abandonment"));
      }
      String name = text("name", true);
      Condition audience =
          root.has("audience") ? condition("audience", ConditionCompiler.Scope.PROFILE) : null;
      Trigger trigger = trigger();
      Rule.Action action = action();
      Duration cooldown =
          root.path("policy").has("cooldown") ? duration("policy.cooldown") : Duration.ZERO;
      rejectUnknown(root.path("policy"), "policy", Set.of("cooldown"));
      Instant from = root.path("schedule").has("from") ? instant("schedule.from") : null;
      Instant until = root.path("schedule").has("to") ? instant("schedule.to") : null;
      rejectUnknown(root.path("schedule"), "schedule", Set.of("from", "to"));
      if (from != null && until != null && !from.isBefore(until)) {
        problems.add(problem("schedule.to", "must be after schedule.from"));
      }
      if (!problems.isEmpty()) {
        throw new InvalidRuleException(problems);
      }
      return new Rule(
          id,
          name,
          text("description", false),
          text("owner", false),
          !root.has("enabled") || root.path("enabled").asBoolean(true),
          audience,
          trigger,
          action,
          cooldown,
          from,
          until,
          0);
    }

    private Trigger trigger() {
      JsonNode when = node("when");
      if (!when.isObject()) {
        problems.add(
            problem(
                "when",
                "is required: when the rule fires (kind: " + String.join(" | ", KINDS) + ")"));
        return null;
      }
      String kind = text("when.kind", true);
      if (kind == null) {
        return null;
      }
      if (!KINDS.contains(kind)) {
        problems.add(
            problem(
                "when.kind",
                "unknown kind '" + kind + "'" + suggestion(kind, KINDS) + "; kinds are " + KINDS));
        return null;
      }
      rejectUnknown(when, "when", WHEN_FIELDS.get(kind));
      var event = ConditionCompiler.Scope.EVENT;
      return switch (kind) {
        case "event" -> new Trigger.OnEvent(condition("when.condition", event));
        case "count" ->
            new Trigger.Count(
                condition("when.match", event), positive("when.atLeast"), duration("when.within"));
        case "sequence" ->
            new Trigger.Sequence(
                steps(),
                duration("when.within"),
                !when.has("ordered") || when.path("ordered").asBoolean());
        case "absence" ->
            new Trigger.Absence(
                condition("when.first", event),
                condition("when.not", event),
                duration("when.within"));
        case "deadline" ->
            new Trigger.Deadline(
                condition("when.first", event),
                condition("when.not", event),
                value(
                    "when.due",
                    event,
                    () ->
                        compiler.compileValue(
                            text("when.due", true), event, SimpleType.TIMESTAMP, "a timestamp")),
                when.has("before") ? duration("when.before") : Duration.ZERO);
        case "threshold" -> threshold(when);
        default -> segment(when);
      };
    }

    private Trigger threshold(JsonNode when) {
      if (when.has("above") == when.has("below")) {
        problems.add(problem("when", "a threshold needs exactly one of 'above' or 'below'"));
        return null;
      }
      String boundField = when.has("above") ? "when.above" : "when.below";
      if (!node(boundField).isNumber()) {
        problems.add(problem(boundField, "must be a number"));
      }
      var profile = ConditionCompiler.Scope.PROFILE;
      Expression value =
          value(
              "when.value",
              profile,
              () ->
                  compiler.compileValue(
                      text("when.value", true), profile, SimpleType.DOUBLE, "a number"));
      return new Trigger.Threshold(value, node(boundField).asDouble(), when.has("above"));
    }

    private Trigger segment(JsonNode when) {
      String segment = text("when.segment", true);
      String on = when.has("on") ? text("when.on", true) : "enter";
      if (on != null && !on.equals("enter") && !on.equals("leave")) {
        problems.add(problem("when.on", "must be enter or leave"));
      }
      return new Trigger.SegmentChange(segment, !"leave".equals(on));
    }

    private List<Condition> steps() {
      JsonNode steps = node("when.steps");
      List<Condition> conditions = new ArrayList<>();
      if (!steps.isArray() || steps.size() < 2) {
        problems.add(problem("when.steps", "a sequence needs a list of at least two conditions"));
        return conditions;
      }
      for (int i = 0; i < steps.size(); i++) {
        conditions.add(condition("when.steps[" + i + "]", ConditionCompiler.Scope.EVENT));
      }
      return conditions;
    }

    private Rule.Action action() {
      JsonNode action = node("action");
      if (!action.isObject()) {
        problems.add(
            problem("action", "is required: what the rule asks for (code, notify, template...)"));
        return null;
      }
      rejectUnknown(
          action, "action", Set.of("code", "notify", "template", "agent", "priority", "ttl"));
      String code = text("action.code", true);
      if (code != null && !code.matches("[A-Z][A-Z0-9_]*")) {
        problems.add(problem("action.code", "must be UPPER_SNAKE_CASE, e.g. CART_REMINDER"));
      }
      String notify = action.has("notify") ? text("action.notify", true) : "none";
      if (notify != null && !CHANNELS.contains(notify)) {
        problems.add(
            problem(
                "action.notify",
                "unknown channel '"
                    + notify
                    + "'"
                    + suggestion(notify, CHANNELS)
                    + "; channels are "
                    + CHANNELS));
      }
      String template = text("action.template", false);
      if (notify != null
          && CHANNELS.contains(notify)
          && !notify.equals("none")
          && template == null) {
        problems.add(
            problem("action.template", "is required when the rule notifies (" + notify + ")"));
      }
      int priority = action.has("priority") ? node("action.priority").asInt(-1) : 50;
      if (priority < 0
          || priority > 100
          || (action.has("priority") && !node("action.priority").isIntegralNumber())) {
        problems.add(problem("action.priority", "must be a whole number from 0 to 100"));
      }
      Duration ttl = action.has("ttl") ? duration("action.ttl") : Duration.ofHours(24);
      boolean agent = !action.has("agent") || action.path("agent").asBoolean(true);
      return new Rule.Action(code, notify, template, agent, priority, ttl);
    }

    private Condition condition(String path, ConditionCompiler.Scope scope) {
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

    private Expression value(
        String path, ConditionCompiler.Scope scope, Supplier<Expression> compile) {
      if (!node(path).isTextual()) {
        problems.add(problem(path, "is required: a CEL expression"));
        return null;
      }
      try {
        return compile.get();
      } catch (InvalidConditionException e) {
        addConditionProblems(path, e);
        return null;
      }
    }

    private void addConditionProblems(String path, InvalidConditionException e) {
      for (ConditionProblem p : e.problems()) {
        SourceTree.Position at = tree.positionInside(path, p.line(), p.column());
        problems.add(new RuleProblem(at.line(), at.column(), path, p.message()));
      }
    }

    private Duration duration(String path) {
      JsonNode value = node(path);
      Matcher m = DURATION.matcher(value.asText("").trim());
      if (!value.isTextual() || !m.matches() || Long.parseLong(m.group(1)) == 0) {
        problems.add(problem(path, "must be a positive duration like 90s, 30m, 24h, 3d or 2w"));
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

    private int positive(String path) {
      JsonNode value = node(path);
      if (!value.isIntegralNumber() || value.asLong() < 1) {
        problems.add(problem(path, "must be a whole number of at least 1"));
        return 0;
      }
      return value.asInt();
    }

    private Instant instant(String path) {
      try {
        return Instant.parse(node(path).asText(""));
      } catch (DateTimeParseException e) {
        problems.add(problem(path, "must be a UTC date-time like 2026-12-01T00:00:00Z"));
        return null;
      }
    }

    private String text(String path, boolean required) {
      JsonNode value = node(path);
      if (value.isMissingNode() || value.isNull()) {
        if (required) {
          problems.add(problem(path, "is required"));
        }
        return null;
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        problems.add(problem(path, "must be a non-empty text"));
        return null;
      }
      return value.asText();
    }

    private JsonNode node(String path) {
      JsonNode node = tree.root();
      for (String part : path.split("\\.")) {
        Matcher indexed = Pattern.compile("(\\w+)\\[(\\d+)]").matcher(part);
        node =
            indexed.matches()
                ? node.path(indexed.group(1)).path(Integer.parseInt(indexed.group(2)))
                : node.path(part);
      }
      return node;
    }

    private void rejectUnknown(JsonNode object, String path, Set<String> known) {
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

    private RuleProblem problem(String path, String message) {
      SourceTree.Position at = tree.positionOf(path);
      return new RuleProblem(at.line(), at.column(), path, message);
    }
  }

  private static String suggestion(String misspelt, Set<String> known) {
    String nearest = FieldSuggestions.nearest(misspelt, known);
    return nearest == null ? "" : " (did you mean '" + nearest + "'?)";
  }
}
