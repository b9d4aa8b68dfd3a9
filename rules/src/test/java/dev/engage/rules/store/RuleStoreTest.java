package dev.engage.rules.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.RuleRecord;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the store refuses to publish beside what is already published (no broker needed). */
class RuleStoreTest {
  private static final String MODEL =
      """
      kind: scoring_model
      id: %s
      name: Lead score
      enabled: %s
      halfLife: 14d
      events: [{type: page_view, points: 1}]
      """;

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());

  @Test
  void aSecondEnabledScoringModelIsRefused() {
    Map<String, RuleRecord> published = Map.of("lead-score", record("lead-score", true));

    assertThat(RuleStore.conflict(model("new-score", true), published))
        .contains(
            "scoring model 'lead-score' is already enabled; disable or delete it first:"
                + " one model scores every customer");
  }

  @Test
  void aScoringModelMayBeChangedOrPublishedDisabledBesideTheEnabledOne() {
    Map<String, RuleRecord> published = Map.of("lead-score", record("lead-score", true));

    assertThat(RuleStore.conflict(model("lead-score", true), published)).isEmpty();
    assertThat(RuleStore.conflict(model("new-score", false), published)).isEmpty();
    assertThat(
            RuleStore.conflict(
                model("new-score", true), Map.of("lead-score", record("lead-score", false))))
        .isEmpty();
  }

  @Test
  void anIdTakenByAnotherKindIsRefused() {
    Definition segment =
        parser.parse("kind: segment\nid: lead-score\nname: Leads\ncondition: \"true\"\n");

    assertThat(RuleStore.conflict(segment, Map.of("lead-score", record("lead-score", true))))
        .contains(
            "'lead-score' is already published as a scoring model; delete it first or choose"
                + " another id");
  }

  private Definition model(String id, boolean enabled) {
    return parser.parse(MODEL.formatted(id, enabled));
  }

  private static RuleRecord record(String id, boolean enabled) {
    return RuleRecord.newBuilder()
        .setId(id)
        .setKind("scoring_model")
        .setVersion(1)
        .setEnabled(enabled)
        .setSource(MODEL.formatted(id, enabled))
        .setUpdatedAt(Instant.parse("2026-03-01T00:00:00Z"))
        .build();
  }
}
