package dev.engage.rules.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.ScoringModel.EventPoints;
import dev.engage.rules.definition.ScoringModel.TraitPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of a scoring model ({@code kind: scoring_model}) into a {@link ScoringModel}.
 */
final class ScoringModelReader {
  private static final Set<String> FIELDS =
      Set.of("kind", "id", "name", "owner", "enabled", "halfLife", "cap", "events", "traits");
  private static final Set<String> EVENT_FIELDS = Set.of("type", "channel", "points");
  private static final Set<String> TRAIT_FIELDS = Set.of("name", "condition", "points");
  private static final double DEFAULT_CAP = 100;

  private final DefinitionReader in;

  ScoringModelReader(DefinitionReader in) {
    this.in = in;
  }

  /** The scoring model, or {@link InvalidRuleException} listing every problem. */
  ScoringModel read() {
    in.rejectUnknown(in.root(), "", FIELDS);
    String id = in.id();
    String name = in.text("name", true);
    String owner = in.text("owner", false);
    Duration halfLife = in.duration("halfLife");
    double cap = in.root().has("cap") ? cap() : DEFAULT_CAP;
    List<EventPoints> events = events();
    List<TraitPoints> traits = traits();
    in.throwIfInvalid();
    return new ScoringModel(id, name, owner, in.enabled(), halfLife, cap, events, traits, 0);
  }

  private double cap() {
    JsonNode cap = in.node("cap");
    if (!cap.isNumber() || cap.asDouble() <= 0) {
      in.report("cap", "must be a positive number: the raw points at which the score is 100");
      return DEFAULT_CAP;
    }
    return cap.asDouble();
  }

  private List<EventPoints> events() {
    JsonNode events = in.node("events");
    List<EventPoints> read = new ArrayList<>();
    if (!events.isArray() || events.isEmpty()) {
      in.report(
          "events",
          "is required: a list of at least one event type with its points, e.g. "
              + "{type: page_view, points: 2}");
      return read;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      String path = "events[" + i + "]";
      if (!events.get(i).isObject()) {
        in.report(path, "must be a mapping of type, channel (optional) and points");
        continue;
      }
      in.rejectUnknown(events.get(i), path, EVENT_FIELDS);
      String type = in.text(path + ".type", true);
      if (type != null && !type.matches("[a-z][a-z0-9_]*")) {
        in.report(path + ".type", "must be a snake_case event type, e.g. page_view");
      }
      String channel = in.text(path + ".channel", false);
      double points = in.number(path + ".points");
      EventPoints entry = new EventPoints(type, channel, points);
      Integer earlier = type == null ? null : seen.putIfAbsent(entry.factor(), i);
      if (earlier != null) {
        in.report(path, entry.factor() + " already has points in events[" + earlier + "]");
      }
      read.add(entry);
    }
    return read;
  }

  private List<TraitPoints> traits() {
    JsonNode traits = in.node("traits");
    List<TraitPoints> read = new ArrayList<>();
    if (traits.isMissingNode() || traits.isNull()) {
      return read;
    }
    if (!traits.isArray()) {
      in.report("traits", "must be a list of traits, each with name, condition and points");
      return read;
    }
    for (int i = 0; i < traits.size(); i++) {
      String path = "traits[" + i + "]";
      if (!traits.get(i).isObject()) {
        in.report(path, "must be a mapping of name, condition and points");
        continue;
      }
      in.rejectUnknown(traits.get(i), path, TRAIT_FIELDS);
      String name = in.text(path + ".name", true);
      Condition condition = in.condition(path + ".condition", ConditionCompiler.Scope.PROFILE);
      read.add(new TraitPoints(name, condition, in.number(path + ".points")));
    }
    return read;
  }
}
