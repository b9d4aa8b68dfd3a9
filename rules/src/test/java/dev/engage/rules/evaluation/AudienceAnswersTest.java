package dev.engage.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.ConditionCompiler.Scope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AudienceAnswersTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final ConditionCompiler compiler = new ConditionCompiler();
  private final Condition bigSpender =
      compiler.compile("profile.historicValue > 100.0", Scope.PROFILE);

  @Test
  void anAudienceIsEvaluatedOncePerCustomerAndProfileVersion() {
    AudienceAnswers answers = new AudienceAnswers(100);
    for (int i = 0; i < 50; i++) {
      assertThat(answers.holds(bigSpender, profile("ann", 1, 150), T0.plusSeconds(i))).isTrue();
    }
    assertThat(answers.evaluations()).isEqualTo(1);

    assertThat(answers.holds(bigSpender, profile("ann", 2, 50), T0)).isFalse();
    assertThat(answers.holds(bigSpender, profile("bob", 1, 150), T0)).isTrue();
    assertThat(answers.evaluations()).isEqualTo(3);
  }

  @Test
  void anAudienceReadingNowIsEvaluatedEveryTime() {
    Condition recent = compiler.compile("now - profile.lastSeen < duration('1h')", Scope.PROFILE);
    AudienceAnswers answers = new AudienceAnswers(100);
    CustomerProfile ann = profile("ann", 1, 150);
    assertThat(answers.holds(recent, ann, T0.plusSeconds(60))).isTrue();
    assertThat(answers.holds(recent, ann, T0.plusSeconds(7200))).isFalse();
    assertThat(answers.evaluations()).isEqualTo(2);
  }

  @Test
  void theOldestAnswersGoOnceTheBoundIsReached() {
    AudienceAnswers answers = new AudienceAnswers(2);
    answers.holds(bigSpender, profile("a", 1, 150), T0);
    answers.holds(bigSpender, profile("b", 1, 150), T0);
    answers.holds(bigSpender, profile("c", 1, 150), T0); // a goes
    answers.holds(bigSpender, profile("c", 1, 150), T0);
    answers.holds(bigSpender, profile("a", 1, 150), T0);
    assertThat(answers.evaluations()).isEqualTo(4);
  }

  @Test
  void theEvaluatorAsksItsAnswersForEveryFiringWithAnAudience() {
    AudienceAnswers answers = new AudienceAnswers(100);
    RuleEvaluator evaluator = new RuleEvaluator(answers, rule -> {});
    var rule =
        new dev.engage.rules.definition.RuleParser(compiler)
            .parse(
                """
                id: big
                name: Big
                audience: "profile.historicValue > 100.0"
                when: {kind: event, condition: "event.type == 'view'"}
                action: {code: BIG}
                """);
    CustomerProfile ann = profile("ann", 1, 150);
    int firings = 0;
    for (int i = 0; i < 20; i++) {
      var event =
          dev.engage.avro.Touchpoint.newBuilder()
              .setEventId("e" + i)
              .setCustomerId("ann")
              .setType("view")
              .setChannel("web")
              .setSource("s")
              .setOccurredAt(T0.plusSeconds(i))
              .setReceivedAt(T0.plusSeconds(i))
              .build();
      firings += evaluator.onEvent(rule, new RuleState(), event, ann).isPresent() ? 1 : 0;
    }
    assertThat(firings).isEqualTo(20);
    assertThat(answers.evaluations()).isEqualTo(1);
  }

  private static CustomerProfile profile(String id, long version, double historicValue) {
    return CustomerProfile.newBuilder()
        .setCustomerId(id)
        .setVersion(version)
        .setFirstSeen(T0)
        .setLastSeen(T0)
        .setUpdatedAt(T0)
        .setHistoricValue(historicValue)
        .build();
  }
}
