package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LeadScore;
import dev.engage.avro.ProfileState;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.ScoreFactor;
import dev.engage.jobs.ProfileTime;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.ScoringModel;
import dev.engage.rules.definition.Segment;
import dev.engage.rules.definition.ValueModel;
import dev.engage.rules.scoring.LeadScoring;
import dev.engage.rules.scoring.Score;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments, the scoring model and the value model published on the rules topic, compiled, and
 * what they make of a profile: its segment ids, its lead score with factors and its lifetime value.
 * Rebuilt from the operator's broadcast state after every change; a definition that does not
 * compile is logged and skipped (the CLI and API refuse them, so only a hand-written record gets
 * here).
 */
final class ProfileDefinitions {
  static final Set<String> KINDS = Set.of(Segment.KIND, ScoringModel.KIND, ValueModel.KIND);
  private static final Logger LOG = LoggerFactory.getLogger(ProfileDefinitions.class);

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());
  private final Map<String, Definition> compiled = new HashMap<>();
  private List<Segment> segments = List.of();
  private final Counter invalidDefinitions;
  private ScoringModel model;
  private LifetimeValues values;

  ProfileDefinitions(Counter invalidDefinitions) {
    this.invalidDefinitions = invalidDefinitions;
  }

  /** Compiles what changed among the published definitions and keeps the enabled ones. */
  void refresh(Iterable<Map.Entry<String, RuleRecord>> published) {
    List<Segment> enabledSegments = new ArrayList<>();
    List<ScoringModel> enabledModels = new ArrayList<>();
    List<ValueModel> enabledValueModels = new ArrayList<>();
    for (Map.Entry<String, RuleRecord> entry : published) {
      RuleRecord record = entry.getValue();
      Definition definition = compiled(record);
      if (definition == null || !definition.enabled() || !record.getEnabled()) {
        continue;
      }
      if (definition instanceof Segment segment) {
        enabledSegments.add(segment);
      } else if (definition instanceof ScoringModel scoring) {
        enabledModels.add(scoring);
      } else if (definition instanceof ValueModel value) {
        enabledValueModels.add(value);
      }
    }
    enabledSegments.sort(Comparator.comparing(Segment::id));
    segments = List.copyOf(enabledSegments);
    // the store lets one model be enabled at a time; should the topic hold more, the first id wins
    model = enabledModels.stream().min(Comparator.comparing(ScoringModel::id)).orElse(null);
    // one value model is fitted and published at a time; should there be more, the first id wins
    values =
        enabledValueModels.stream()
            .min(Comparator.comparing(ValueModel::id))
            .map(LifetimeValues::new)
            .orElse(null);
  }

  Duration halfLife() {
    return model == null ? ScoreActivity.DEFAULT_HALF_LIFE : model.halfLife();
  }

  /**
   * Sets the profile's lifetime value, segments and lead score as of its valuedAt; true when the
   * segments or the score changed.
   */
  boolean classify(ProfileState state) {
    CustomerProfile profile = state.getProfile();
    if (values != null) {
      values.apply(profile);
    } else {
      profile.setLifetimeValue(null);
    }
    if (segments.isEmpty()
        && model == null
        && profile.getSegments().isEmpty()
        && profile.getLeadScore() == null) {
      return false;
    }
    Map<String, Object> bindings = CelBindings.profile(profile, ProfileTime.valuedAt(profile));
    List<String> inSegments =
        segments.stream().filter(s -> s.condition().test(bindings)).map(Segment::id).toList();
    LeadScore score = model == null ? null : score(state, bindings);
    boolean changed =
        !inSegments.equals(profile.getSegments()) || !Objects.equals(score, profile.getLeadScore());
    profile.setSegments(new ArrayList<>(inSegments));
    profile.setLeadScore(score);
    return changed;
  }

  private LeadScore score(ProfileState state, Map<String, Object> bindings) {
    long at = ProfileTime.valuedAt(state.getProfile()).toEpochMilli();
    Score score =
        LeadScoring.score(
            model, ScoreActivity.at(state.getScoreActivity(), at, model.halfLife()), bindings);
    List<ScoreFactor> factors =
        score.factors().stream().map(f -> new ScoreFactor(f.factor(), f.points())).toList();
    return new LeadScore(score.score(), model.id(), model.version(), new ArrayList<>(factors));
  }

  private Definition compiled(RuleRecord record) {
    Definition known = compiled.get(record.getId());
    if (known != null && known.version() == record.getVersion()) {
      return known;
    }
    try {
      Definition definition = parser.parse(record.getSource()).withVersion(record.getVersion());
      compiled.put(record.getId(), definition);
      return definition;
    } catch (InvalidRuleException e) {
      invalidDefinitions.inc();
      LOG.warn(
          "Skipping invalid {} {} version {}: {}",
          record.getKind(),
          record.getId(),
          record.getVersion(),
          e.getMessage());
      return null;
    }
  }
}
