package dev.engage.rulesbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.rules.bench.SyntheticWorkload;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.RuleParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AgreementTest {
  @ParameterizedTest
  @EnumSource(SyntheticWorkload.Mix.class)
  void engageAndDroolsFireTheSameRulesOnTheSameTouchpoints(SyntheticWorkload.Mix mix) {
    Agreement.Firings firings = Agreement.of(mix, 200, 5_000);

    assertThat(firings.engage()).hasSizeGreaterThan(100);
    assertThat(firings.drools()).containsExactlyInAnyOrderElementsOf(firings.engage());
  }

  @Test
  void onlyStatelessConditionsWithTheSameAnswerOnMissingDataTranslate() {
    RuleParser parser = new RuleParser(new ConditionCompiler());

    assertThat(
            DroolsRules.translates(
                parser.parse(
                    rule(
                        "{kind: event, condition: \"%s\"}",
                        "event.type == 'a' && (event.channel == 'app' || event.attributes['k'] == 'v')"))))
        .isTrue();
    assertThat(
            DroolsRules.translates(
                parser.parse(rule("{kind: event, condition: \"%s\"}", "event.type != 'a'"))))
        .isFalse();
    assertThat(
            DroolsRules.translates(
                parser.parse(
                    rule(
                        "{kind: count, match: \"%s\", atLeast: 2, within: 1h}",
                        "event.type == 'a'"))))
        .isFalse();
  }

  private static String rule(String when, String condition) {
    return "id: r\nname: r\nwhen: %s\naction: {code: R}\n".formatted(when.formatted(condition));
  }
}
