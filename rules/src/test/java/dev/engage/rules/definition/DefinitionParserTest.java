package dev.engage.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.ScoringModel.EventPoints;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
  private static final String LEAD_SCORE =
      """
      kind: scoring_model
      id: lead-score
      name: Lead score
      owner: growth
      halfLife: 14d
      cap: 80
      events:
        - type: page_view
          channel: web
          points: 2
        - type: demo_requested
          points: 30
      traits:
        - name: has an email
          condition: "'email' in profile.identities"
          points: 10
      """;

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());

  @Test
  void aSegmentReadsIntoItsRecord() {
    Definition definition =
        parser.parse(
            """
            kind: segment
            id: new-parents
            name: New parents
            description: Bought baby products twice in 30 days
            owner: crm-team
            condition: "profile.categories30d['baby'] >= 2"
            """);

    assertThat(definition)
        .isInstanceOfSatisfying(
            Segment.class,
            segment -> {
              assertThat(segment.id()).isEqualTo("new-parents");
              assertThat(segment.kind()).isEqualTo("segment");
              assertThat(segment.name()).isEqualTo("New parents");
              assertThat(segment.description()).isEqualTo("Bought baby products twice in 30 days");
              assertThat(segment.owner()).isEqualTo("crm-team");
              assertThat(segment.enabled()).isTrue();
              assertThat(segment.condition().expression())
                  .isEqualTo("profile.categories30d['baby'] >= 2");
              assertThat(segment.version()).isZero();
              assertThat(segment.withVersion(3).version()).isEqualTo(3);
            });
  }

  @Test
  void aScoringModelReadsIntoItsRecord() {
    ScoringModel model = (ScoringModel) parser.parse(LEAD_SCORE);

    assertThat(model.kind()).isEqualTo("scoring_model");
    assertThat(model.id()).isEqualTo("lead-score");
    assertThat(model.owner()).isEqualTo("growth");
    assertThat(model.enabled()).isTrue();
    assertThat(model.halfLife()).isEqualTo(Duration.ofDays(14));
    assertThat(model.cap()).isEqualTo(80.0);
    assertThat(model.events())
        .containsExactly(
            new EventPoints("page_view", "web", 2), new EventPoints("demo_requested", null, 30));
    assertThat(model.events())
        .extracting(EventPoints::factor)
        .containsExactly("page_view on web", "demo_requested");
    assertThat(model.traits())
        .singleElement()
        .satisfies(
            trait -> {
              assertThat(trait.name()).isEqualTo("has an email");
              assertThat(trait.condition().expression()).contains("profile.identities");
              assertThat(trait.points()).isEqualTo(10.0);
            });
  }

  @Test
  void aScoringModelWithoutCapOrTraitsScoresOutOfAHundred() {
    ScoringModel model =
        (ScoringModel)
            parser.parse(
                """
                {"kind": "scoring_model", "id": "visits", "name": "Visits", "halfLife": "3d",
                 "enabled": false, "events": [{"type": "page_view", "points": -0.5}]}
                """);

    assertThat(model.cap()).isEqualTo(100.0);
    assertThat(model.traits()).isEmpty();
    assertThat(model.enabled()).isFalse();
    assertThat(model.events()).containsExactly(new EventPoints("page_view", null, -0.5));
  }

  @Test
  void aDefinitionWithoutKindIsATriggerRule() {
    assertThat(
            parser.parse(
                """
                id: welcome
                name: Welcome
                when: {kind: event, condition: "event.type == 'signup'"}
                action: {code: WELCOME}
                """))
        .isInstanceOf(Rule.class)
        .extracting(Definition::kind)
        .isEqualTo("rule");
  }

  @Test
  void anUnknownKindIsReportedWithTheNearestKind() {
    assertThat(problems("kind: segmnt\nid: new-parents\nname: New parents\n"))
        .containsExactly(
            "1:7: kind: unknown kind 'segmnt' (did you mean 'segment'?);"
                + " kinds are rule | segment | scoring_model | offer | value_model");
  }

  @Test
  void aSegmentConditionMustBeTrueOrFalse() {
    assertThat(
            problems(
                """
                kind: segment
                id: big-spenders
                name: Big spenders
                condition: "profile.historicValue"
                """))
        .containsExactly(
            "4:13: condition: the expression must give true or false, this one gives double");
  }

  @Test
  void aMisspeltProfileFieldInASegmentIsReportedWithTheNearestName() {
    assertThat(
            problems(
                """
                kind: segment
                id: new-parents
                name: New parents
                condition: "profile.categorie30d['baby'] >= 2"
                """))
        .singleElement()
        .satisfies(
            p ->
                // the '.' before categorie30d: column 12 (quote) + 1 + 7
                assertThat(p)
                    .startsWith("4:20: condition: ")
                    .contains("undefined field 'categorie30d'", "did you mean 'categories30d'?"));
  }

  @Test
  void aSegmentReportsUnknownAndMissingFields() {
    assertThat(problems("kind: segment\nid: s\nname: S\nconditon: \"true\"\n"))
        .containsExactlyInAnyOrder(
            "4:1: conditon: unknown field 'conditon' (did you mean 'condition'?)",
            "1:1: condition: is required");
  }

  @Test
  void aScoringModelWithoutHalfLifeIsRefused() {
    assertThat(problems(LEAD_SCORE.replace("halfLife: 14d\n", "")))
        .containsExactly("1:1: halfLife: is required: a duration like 90s, 30m, 24h, 3d or 2w");
  }

  @Test
  void pointsMustBeNumbersAndTheCapPositive() {
    assertThat(
            problems(
                LEAD_SCORE
                    .replace("points: 30", "points: lots")
                    .replace("cap: 80", "cap: 0")
                    .replace("halfLife: 14d", "halfLife: 2 weeks")))
        .containsExactlyInAnyOrder(
            "5:11: halfLife: must be a positive duration like 90s, 30m, 24h, 3d or 2w",
            "6:6: cap: must be a positive number: the raw points at which the score is 100",
            "12:13: events[1].points: must be a number");
  }

  @Test
  void anUnknownFieldInAnEventsEntryIsReportedAtItsName() {
    assertThat(problems(LEAD_SCORE.replace("points: 2\n", "pionts: 2\n")))
        .containsExactlyInAnyOrder(
            "10:5: events[0].pionts: unknown field 'pionts' (did you mean 'points'?)",
            "8:5: events[0].points: is required: a number");
  }

  @Test
  void eventsAreRequiredAndEachTypeAndChannelScoredOnce() {
    assertThat(
            problems(
                """
                kind: scoring_model
                id: lead-score
                name: Lead score
                halfLife: 14d
                """))
        .containsExactly(
            "1:1: events: is required: a list of at least one event type with its points,"
                + " e.g. {type: page_view, points: 2}");
    assertThat(
            problems(
                LEAD_SCORE.replace(
                    "- type: demo_requested", "- type: page_view\n    channel: web")))
        .containsExactly("11:5: events[1]: page_view on web already has points in events[0]");
  }

  @Test
  void aTraitConditionIsCheckedAgainstTheProfile() {
    assertThat(problems(LEAD_SCORE.replace("profile.identities", "profile.identites")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("15:35: traits[0].condition: ")
                    .contains("did you mean 'identities'?"));
  }

  @Test
  void aValueModelReadsIntoItsRecord() {
    ValueModel model =
        (ValueModel)
            parser.parse(
                """
                kind: value_model
                id: lifetime-value
                name: Lifetime value
                purchases: {r: 0.5, alpha: 20, a: 0.8, b: 4.0}
                spend: {p: 6, q: 4, gamma: 15}
                fittedOn: 20000
                fittedAt: 2026-12-03T06:00:00Z
                """);

    assertThat(model.purchases()).isEqualTo(new ValueModel.PurchaseRates(0.5, 20, 0.8, 4.0));
    assertThat(model.spend()).isEqualTo(new ValueModel.Spend(6, 4, 15));
    assertThat(model.fittedOn()).isEqualTo(20_000);
    assertThat(model.fittedAt()).isEqualTo(Instant.parse("2026-12-03T06:00:00Z"));
    assertThat(model.withVersion(3).version()).isEqualTo(3);
  }

  @Test
  void aValueModelsParametersArePositiveAndEachProblemIsPlaced() {
    assertThat(
            problems(
                """
                kind: value_model
                id: lifetime-value
                name: Lifetime value
                purchases: {r: 0.5, alpha: -20, a: 0.8}
                spend: {p: 6, q: 0.5, gamma: 15, delta: 1}
                """))
        .containsExactlyInAnyOrder(
            "4:28: purchases.alpha: must be a positive number",
            "4:12: purchases.b: is required: a number",
            "5:34: spend.delta: unknown field 'delta'",
            "5:18: spend.q: must be above 1: the mean order value is p x gamma / (q - 1)");
  }

  @Test
  void problemsFoundOutsideTheParserArePlacedAtTheirField() {
    assertThat(parser.problemAt(LEAD_SCORE, "id", "taken").toString()).isEqualTo("2:5: id: taken");
  }

  @Test
  void aDefinitionThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> parser.parse("[1, 2]"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("a definition must be a mapping of fields");
  }

  private List<String> problems(String source) {
    try {
      parser.parse(source);
    } catch (InvalidRuleException e) {
      return e.problems().stream().map(RuleProblem::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + source);
  }
}
