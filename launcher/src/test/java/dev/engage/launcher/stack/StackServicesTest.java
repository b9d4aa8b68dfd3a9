package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackServicesTest {
  @Test
  void theStacksDecisionSettingsReachTheStreamJobsAsTheirFlags() {
    StackConfig config =
        StackConfig.from(
            new SettingSources()
                .withFlags(
                    Map.of(
                        "decisions.top-k", "3",
                        "decisions.levers", "GOLD_CARD=20",
                        "decisions.daily-caps", "sms=0,email=2",
                        "decisions.notify-hold", "PT1S")));

    assertThat(StackServices.decisionFlags(config.decisions()))
        .containsExactly(
            "--top-k", "3",
            "--exploration-share", "0.1",
            "--control-share", "0.05",
            "--daily-caps", "email=2,sms=0",
            "--weekly-cap", "7",
            "--notify-hold", "PT1S",
            "--levers", "GOLD_CARD=20.0");
  }
}
