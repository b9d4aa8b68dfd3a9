package dev.engage.rules.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.Expression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the fields of a trigger rule ({@code kind: rule}, the default) into a {@link Rule}. */
final class RuleReader {
  static final Set<String> TRIGGER_KINDS =
      Set.of("event", "count", "sequence", "absence", "deadline", "threshold", "segment");
  static final Set<String> CHANNELS = Set.of("preferred", "email", "sms", "push", "in_app", "none");
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "kind",
          "id",
          "name",
          "description",
          "owner",
          "enabled",
          "audience",
          "when",
          "action",
          "policy",
          "schedule",
          "purpose");
  private static final Map<String, Set<String>> WHEN_FIELDS =
      Map.of(
          "event", Set.of("kind", "condition"),
          "count", Set.of("kind", "match", "atLeast", "within"),
          "sequence", Set.of("kind", "steps", "within", "ordered"),
          "absence", Set.of("kind", "first", "not", "within"),
          "deadline", Set.of("kind", "first", "not", "due", "before"),
          "threshold", Set.of("kind", "value", "above", "below"),
          "segment", Set.of("kind", "segment", "on"));

  private final DefinitionReader in;

  RuleReader(DefinitionReader in) {
    this.in = in;
  }

  /** The rule, or {@link InvalidRuleException} listing every problem. */
  Rule read() {
    JsonNode root = in.root();
    in.rejectUnknown(root, "", TOP_LEVEL);
    String id = in.id();
    String name = in.text("name", true);
    Condition audience =
        root.has("audience") ? in.condition("audience", ConditionCompiler.Scope.PROFILE) : null;
    Trigger trigger = trigger();
    Rule.Action action = action();
    Duration cooldown =
        root.path("policy").has("cooldown") ? in.duration("policy.cooldown") : Duration.ZERO;
    in.rejectUnknown(root.path("policy"), "policy", Set.of("cooldown", "quietHours"));
    Purpose purpose = in.purpose();
    boolean ignoresQuietHours = ignoresQuietHours(purpose);
    Instant from = root.path("schedule").has("from") ? in.instant("schedule.from") : null;
    Instant until = root.path("schedule").has("to") ? in.instant("schedule.to") : null;
    in.rejectUnknown(root.path("schedule"), "schedule", Set.of("from", "to"));
    if (from != null && until != null && !from.isBefore(until)) {
      in.report("schedule.to", "must be after schedule.from");
    }
    in.throwIfInvalid();
    return new Rule(
        id,
        name,
        in.text("description", false),
        in.text("owner", false),
        in.enabled(),
        audience,
        trigger,
        action,
        cooldown,
        from,
        until,
        purpose,
        ignoresQuietHours,
        0);
  }

  /**
   * {@code policy.quietHours}: respect (the default) or ignore, which only a transactional rule may
   * ask for (a cancelled flight at 23:30 cannot wait for 07:00; a reminder can).
   */
  private boolean ignoresQuietHours(Purpose purpose) {
    if (!in.node("policy").has("quietHours")) {
      return false;
    }
    String quietHours = in.text("policy.quietHours", true);
    if (quietHours != null && !quietHours.equals("respect") && !quietHours.equals("ignore")) {
      in.report("policy.quietHours", "must be respect or ignore");
      return false;
    }
    if ("ignore".equals(quietHours) && purpose != Purpose.TRANSACTIONAL) {
      in.report(
          "policy.quietHours",
          "only a transactional rule (purpose: transactional) may ignore quiet hours");
      return false;
    }
    return "ignore".equals(quietHours);
  }

  private Trigger trigger() {
    JsonNode when = in.node("when");
    if (!when.isObject()) {
      in.report(
          "when",
          "is required: when the rule fires (kind: " + String.join(" | ", TRIGGER_KINDS) + ")");
      return null;
    }
    String kind = in.text("when.kind", true);
    if (kind == null) {
      return null;
    }
    if (!TRIGGER_KINDS.contains(kind)) {
      in.report(
          "when.kind",
          "unknown kind '"
              + kind
              + "'"
              + DefinitionReader.suggestion(kind, TRIGGER_KINDS)
              + "; kinds are "
              + TRIGGER_KINDS);
      return null;
    }
    in.rejectUnknown(when, "when", WHEN_FIELDS.get(kind));
    var event = ConditionCompiler.Scope.EVENT;
    return switch (kind) {
      case "event" -> new Trigger.OnEvent(in.condition("when.condition", event));
      case "count" ->
          new Trigger.Count(
              in.condition("when.match", event),
              in.positive("when.atLeast"),
              in.duration("when.within"));
      case "sequence" ->
          new Trigger.Sequence(
              steps(),
              in.duration("when.within"),
              !when.has("ordered") || when.path("ordered").asBoolean());
      case "absence" ->
          new Trigger.Absence(
              in.condition("when.first", event),
              in.condition("when.not", event),
              in.duration("when.within"));
      case "deadline" ->
          new Trigger.Deadline(
              in.condition("when.first", event),
              in.condition("when.not", event),
              in.value("when.due", event, SimpleType.TIMESTAMP, "a timestamp"),
              when.has("before") ? in.duration("when.before") : Duration.ZERO);
      case "threshold" -> threshold(when);
      default -> segment(when);
    };
  }

  private Trigger threshold(JsonNode when) {
    if (when.has("above") == when.has("below")) {
      in.report("when", "a threshold needs exactly one of 'above' or 'below'");
      return null;
    }
    String boundField = when.has("above") ? "when.above" : "when.below";
    double bound = in.number(boundField);
    Expression value =
        in.value("when.value", ConditionCompiler.Scope.PROFILE, SimpleType.DOUBLE, "a number");
    return new Trigger.Threshold(value, bound, when.has("above"));
  }

  private Trigger segment(JsonNode when) {
    String segment = in.text("when.segment", true);
    String on = when.has("on") ? in.text("when.on", true) : "enter";
    if (on != null && !on.equals("enter") && !on.equals("leave")) {
      in.report("when.on", "must be enter or leave");
    }
    return new Trigger.SegmentChange(segment, !"leave".equals(on));
  }

  private List<Condition> steps() {
    JsonNode steps = in.node("when.steps");
    List<Condition> conditions = new ArrayList<>();
    if (!steps.isArray() || steps.size() < 2) {
      in.report("when.steps", "a sequence needs a list of at least two conditions");
      return conditions;
    }
    for (int i = 0; i < steps.size(); i++) {
      conditions.add(in.condition("when.steps[" + i + "]", ConditionCompiler.Scope.EVENT));
    }
    return conditions;
  }

  private Rule.Action action() {
    JsonNode action = in.node("action");
    if (!action.isObject()) {
      in.report("action", "is required: what the rule asks for (code, notify, template...)");
      return null;
    }
    in.rejectUnknown(
        action,
        "action",
        Set.of("code", "notify", "template", "agent", "priority", "ttl", "value"));
    String code = in.actionCode("action.code");
    String notify = action.has("notify") ? in.text("action.notify", true) : "none";
    if (notify != null && !CHANNELS.contains(notify)) {
      in.report(
          "action.notify",
          "unknown channel '"
              + notify
              + "'"
              + DefinitionReader.suggestion(notify, CHANNELS)
              + "; channels are "
              + CHANNELS);
    }
    String template = in.text("action.template", false);
    if (notify != null && CHANNELS.contains(notify) && !notify.equals("none") && template == null) {
      in.report("action.template", "is required when the rule notifies (" + notify + ")");
    }
    int priority = in.priority("action.priority");
    Duration ttl = action.has("ttl") ? in.duration("action.ttl") : Duration.ofHours(24);
    boolean agent = !action.has("agent") || action.path("agent").asBoolean(true);
    BusinessValue value = in.businessValue("action.value", ConditionCompiler.Scope.PROFILE);
    return new Rule.Action(code, notify, template, agent, priority, ttl, value);
  }
}
