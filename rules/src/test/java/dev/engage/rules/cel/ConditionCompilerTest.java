package dev.engage.rules.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LineItem;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionCompilerTest {
  private final ConditionCompiler compiler = new ConditionCompiler();

  @Test
  void eventAndProfileConditionsAreTypeCheckedAndEvaluated() {
    Condition condition =
        compiler.compile(
            "event.type == 'purchase' && event.amount > 100.0 && profile.preferences.consentEmail"
                + " && event.items.exists(i, i.category == 'baby')",
            ConditionCompiler.Scope.EVENT);

    assertThat(condition.test(bindings(purchase(150.0), profile(true)))).isTrue();
    assertThat(condition.test(bindings(purchase(50.0), profile(true)))).isFalse();
    assertThat(condition.test(bindings(purchase(150.0), profile(false)))).isFalse();
  }

  @Test
  void misspeltFieldIsAProblemWithItsPositionAndTheNearestName() {
    assertThatThrownBy(
            () -> compiler.compile("event.typ == 'purchase'", ConditionCompiler.Scope.EVENT))
        .isInstanceOfSatisfying(
            InvalidConditionException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.line()).isEqualTo(1);
                          assertThat(p.column()).isEqualTo(6);
                          assertThat(p.message())
                              .contains("undefined field 'typ'", "did you mean 'type'?");
                        }));
  }

  @Test
  void aConditionMustBeTrueOrFalse() {
    assertThatThrownBy(() -> compiler.compile("event.amount * 2.0", ConditionCompiler.Scope.EVENT))
        .hasMessageContaining("must give true or false, this one gives double");
  }

  @Test
  void profileConditionsCannotUseTheEvent() {
    assertThatThrownBy(() -> compiler.compile("event.type == 'x'", ConditionCompiler.Scope.PROFILE))
        .hasMessageContaining("undeclared reference to 'event'");
  }

  @Test
  void unsetOptionalFieldsAreTestedWithHasAndOtherwiseMakeTheConditionFalse() {
    Touchpoint noAmount = purchase(1.0);
    noAmount.setAmount(null);
    Map<String, Object> bindings = bindings(noAmount, profile(true));

    assertThat(compiler.compile("has(event.amount)", ConditionCompiler.Scope.EVENT).test(bindings))
        .isFalse();
    assertThat(compiler.compile("event.amount > 0.0", ConditionCompiler.Scope.EVENT).test(bindings))
        .isFalse();
  }

  @Test
  void timestampsCompareWithNow() {
    Condition recent =
        compiler.compile("now - event.occurredAt < duration('1h')", ConditionCompiler.Scope.EVENT);
    Map<String, Object> bindings = bindings(purchase(1.0), profile(true));
    bindings.put("now", AvroCelValues.timestamp(Instant.parse("2026-11-23T10:30:00Z")));

    assertThat(recent.test(bindings)).isTrue();
  }

  private static Map<String, Object> bindings(Touchpoint event, CustomerProfile profile) {
    Map<String, Object> bindings = new java.util.HashMap<>();
    bindings.put("event", AvroCelValues.of(event));
    bindings.put("profile", AvroCelValues.of(profile));
    bindings.put("now", AvroCelValues.timestamp(Instant.parse("2026-11-23T10:00:00Z")));
    return bindings;
  }

  private static Touchpoint purchase(double amount) {
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    return Touchpoint.newBuilder()
        .setEventId("e1")
        .setCustomerId("c1")
        .setType("purchase")
        .setChannel("web")
        .setSource("website")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .setAmount(amount)
        .setItems(List.of(new LineItem("s1", "Nappies", "baby", 1, amount)))
        .build();
  }

  private static CustomerProfile profile(boolean consentEmail) {
    Instant at = Instant.parse("2026-11-01T10:00:00Z");
    return CustomerProfile.newBuilder()
        .setCustomerId("c1")
        .setVersion(1)
        .setFirstSeen(at)
        .setLastSeen(at)
        .setUpdatedAt(at)
        .setPreferences(Preferences.newBuilder().setConsentEmail(consentEmail).build())
        .build();
  }
}
