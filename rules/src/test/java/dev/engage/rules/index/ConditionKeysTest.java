package dev.engage.rules.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.ConditionCompiler.Scope;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionKeysTest {
  private final ConditionCompiler compiler = new ConditionCompiler();

  private Optional<LookupKey> key(String expression) {
    return ConditionKeys.of(compiler.compile(expression, Scope.EVENT));
  }

  @Test
  void anEqualityOnTheTypeIsAKeyWhicheverSideTheFieldIs() {
    assertThat(key("event.type == 'purchase'")).hasValue(new LookupKey("type", Set.of("purchase")));
    assertThat(key("'purchase' == event.type")).hasValue(new LookupKey("type", Set.of("purchase")));
  }

  @Test
  void aConjunctionTakesItsMostSelectiveKey() {
    assertThat(key("event.channel == 'web' && event.type == 'cart' && event.amount > 10.0"))
        .hasValue(new LookupKey("type", Set.of("cart")));
  }

  @Test
  void inListsAndDisjunctionsOnOneFieldGiveAllTheirValues() {
    assertThat(key("event.type in ['a', 'b']")).hasValue(new LookupKey("type", Set.of("a", "b")));
    assertThat(key("event.source == 's1' || event.source in ['s2']"))
        .hasValue(new LookupKey("source", Set.of("s1", "s2")));
  }

  @Test
  void attributesAreKeysByIndexOrBySelection() {
    assertThat(key("event.attributes['plan'] == 'gold'"))
        .hasValue(new LookupKey("attributes.plan", Set.of("gold")));
    assertThat(key("event.attributes.plan == 'gold'"))
        .hasValue(new LookupKey("attributes.plan", Set.of("gold")));
  }

  @Test
  void whatAnEventCanSatisfyWithoutTheFieldGivesNoKey() {
    assertThat(key("event.type != 'purchase'")).isEmpty();
    assertThat(key("!(event.type == 'purchase')")).isEmpty();
    assertThat(key("event.type == 'a' || event.channel == 'web'")).isEmpty();
    assertThat(key("event.amount > 10.0")).isEmpty();
    assertThat(key("event.type.startsWith('pur')")).isEmpty();
  }
}
