package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void theStacksJobTuningReachesTheStreamJobsAsTheirFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("engage.yaml");
    Files.writeString(file, "jobs:\n  idle-after: PT1M\n  profile-ttl: P30D\n");

    List<String> flags =
        StackServices.streamJobsFlags(
            StackConfig.from(
                new SettingSources()
                    .withFile(file, true)
                    .withFlags(Map.of("jobs.checkpoint-interval", "PT2S"))));

    assertThat(String.join(" ", flags))
        .contains(
            "--checkpoint-interval PT2S --parallelism 2 --out-of-orderness PT5S --idle-after PT1M"
                + " --redis-max-delay PT0.05S --profile-ttl PT720H");
  }

  @Test
  void theStacksAnalyticsSettingsReachTheStreamJobsAsTheirFlags() {
    List<String> flags =
        StackServices.streamJobsFlags(
            StackConfig.from(
                new SettingSources()
                    .withFlags(
                        Map.of(
                            "analytics.goals", "upgrade,booking_made",
                            "analytics.conversion-window", "P3D"))));

    assertThat(String.join(" ", flags))
        .contains(
            "--goals booking_made,upgrade --attribution-lookback PT720H"
                + " --attribution-half-life PT168H --conversion-window PT72H");
  }
}
