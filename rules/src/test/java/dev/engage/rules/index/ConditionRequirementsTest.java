package dev.engage.rules.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.ConditionCompiler.Scope;
import dev.engage.rules.index.NumericBound.Comparison;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionRequirementsTest {
  private final ConditionCompiler compiler = new ConditionCompiler();

  private List<Requirement> of(String expression) {
    return ConditionRequirements.of(compiler.compile(expression, Scope.EVENT));
  }

  @Test
  void anEqualityOnTheTypeIsAKeyWhicheverSideTheFieldIs() {
    assertThat(of("event.type == 'purchase'"))
        .containsExactly(new LookupKey("type", Set.of("purchase")));
    assertThat(of("'purchase' == event.type"))
        .containsExactly(new LookupKey("type", Set.of("purchase")));
  }

  @Test
  void aConjunctionRequiresEveryConjunctItCanRead() {
    assertThat(of("event.channel == 'web' && event.type == 'cart' && event.amount > 10.0"))
        .containsExactlyInAnyOrder(
            new LookupKey("type", Set.of("cart")),
            new LookupKey("channel", Set.of("web")),
            new NumericBound("amount", Comparison.GREATER, 10.0));
  }

  @Test
  void boundsReadFromEitherSide() {
    assertThat(of("100.0 >= event.amount"))
        .containsExactly(new NumericBound("amount", Comparison.LESS_OR_EQUAL, 100.0));
    assertThat(of("event.delayMinutes >= 120"))
        .containsExactly(new NumericBound("delayMinutes", Comparison.GREATER_OR_EQUAL, 120L));
  }

  @Test
  void inListsAndDisjunctionsOnOneFieldGiveAllTheirValues() {
    assertThat(of("event.type in ['a', 'b']"))
        .containsExactly(new LookupKey("type", Set.of("a", "b")));
    assertThat(of("event.source == 's1' || event.source in ['s2']"))
        .containsExactly(new LookupKey("source", Set.of("s1", "s2")));
    assertThat(of("(event.type == 'a' && event.channel == 'web') || event.type == 'b'"))
        .containsExactly(new LookupKey("type", Set.of("a", "b")));
  }

  @Test
  void attributesAreKeysByIndexOrBySelection() {
    assertThat(of("event.attributes['plan'] == 'gold'"))
        .containsExactly(new LookupKey("attributes.plan", Set.of("gold")));
    assertThat(of("event.attributes.plan == 'gold'"))
        .containsExactly(new LookupKey("attributes.plan", Set.of("gold")));
  }

  @Test
  void whatAnEventCanSatisfyWithoutTheFieldRequiresNothing() {
    assertThat(of("event.type != 'purchase'")).isEmpty();
    assertThat(of("!(event.type == 'purchase')")).isEmpty();
    assertThat(of("event.type == 'a' || event.channel == 'web'")).isEmpty();
    assertThat(of("event.amount > 10.0 || event.type == 'a'")).isEmpty();
    assertThat(of("event.type.startsWith('pur')")).isEmpty();
  }

  private boolean decided(String expression) {
    return ConditionRequirements.decidedByRequirements(compiler.compile(expression, Scope.EVENT));
  }

  @Test
  void aConditionOfRequirementsOnlyIsDecidedByThem() {
    assertThat(
            decided("event.type == 'a' && event.attributes.category == 'c' && event.amount >= 5.0"))
        .isTrue();
    assertThat(
            decided(
                "event.type in ['a', 'b'] && (event.channel == 'web' || event.channel == 'app')"))
        .isTrue();
    assertThat(decided("120 <= event.delayMinutes && event.status == 'CANCELLED'")).isTrue();
  }

  @Test
  void aConditionAskingMoreThanItsRequirementsIsNotDecidedByThem() {
    assertThat(decided("event.type == 'a' && event.amount > double(5)")).isFalse();
    assertThat(decided("(event.type == 'a' && event.channel == 'web') || event.type == 'b'"))
        .isFalse();
    assertThat(decided("event.type == 'a' && event.channel != 'web'")).isFalse();
    assertThat(decided("event.type == 'a' && has(event.amount)")).isFalse();
    assertThat(decided("event.type == 'a' || event.channel == 'web'")).isFalse();
  }
}
