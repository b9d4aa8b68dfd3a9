package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.rules.decisions.DecisionSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamJobsMainTest {
  @Test
  void withoutFlagsTheDecisionsRunOnTheDocumentedDefaults() {
    assertThat(parse().decisionSettings()).isEqualTo(DecisionSettings.defaults());
  }

  @Test
  void flagsSetTheDecisionSettings() {
    DecisionSettings settings =
        parse(
                "--top-k", "3",
                "--exploration-share", "0.2",
                "--control-share", "0",
                "--levers", "GOLD_CARD=20,APP_TOUR=-50",
                "--daily-caps", "sms=2",
                "--weekly-cap", "10",
                "--notify-hold", "PT1S")
            .decisionSettings();

    assertThat(settings.topK()).isEqualTo(3);
    assertThat(settings.explorationShare()).isEqualTo(0.2);
    assertThat(settings.controlShare()).isZero();
    assertThat(settings.levers()).isEqualTo(Map.of("GOLD_CARD", 20.0, "APP_TOUR", -50.0));
    assertThat(settings.dailyCaps()).isEqualTo(Map.of("sms", 2));
    assertThat(settings.weeklyCap()).isEqualTo(10);
    assertThat(settings.holdFor()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBadDecisionSettingIsRefusedByName() {
    assertThatThrownBy(() -> parse("--exploration-share", "1.5").decisionSettings())
        .hasMessageContaining("decisions.exploration-share");
  }

  private static StreamJobsMain parse(String... args) {
    StreamJobsMain main = new StreamJobsMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }
}
