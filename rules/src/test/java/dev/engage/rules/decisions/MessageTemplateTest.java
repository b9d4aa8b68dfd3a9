package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplateTest {
  @Test
  void placeholdersTakeTheFactsOfTheFiringAndUnknownOnesVanish() {
    Map<String, String> facts =
        Map.of("event.attributes.summary", "LH400 delayed 150 min", "event.type", "x");

    assertThat(
            MessageTemplate.render(
                "Sorry: {{event.attributes.summary}}. {{ event.attributes.seat }}", facts))
        .isEqualTo("Sorry: LH400 delayed 150 min.");
    assertThat(MessageTemplate.render("$5 off {{event.type}}", facts)).isEqualTo("$5 off x");
  }
}
