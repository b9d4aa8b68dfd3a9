package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
  void withoutFlagsAnalyticsRunOnTheDocumentedDefaultsAndFlagsSetThem() {
    assertThat(parse().settings().application().analytics())
        .isEqualTo(AnalyticsSettings.defaults());

    AnalyticsSettings set =
        parse(
                "--goals", "booking_made,upgrade",
                "--attribution-lookback", "P14D",
                "--attribution-half-life", "P2D",
                "--conversion-window", "P3D")
            .settings()
            .application()
            .analytics();

    assertThat(set)
        .isEqualTo(
            new AnalyticsSettings(
                Set.of("booking_made", "upgrade"),
                Duration.ofDays(14),
                Duration.ofDays(2),
                Duration.ofDays(3)));
  }

  @Test
  void aTopicRenamedForTheStackIsTheOneTheApplicationUses() {
    TopicCatalog catalog =
        new TopicCatalog(parse("--topic-name", "triggers=x.triggers").settings().topics(), null);

    assertThat(catalog.triggers().name()).isEqualTo("x.triggers");
    assertThat(catalog.touchpoints().name()).isEqualTo("touchpoints");
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

  /**
   * A value that makes no sense stops the service before it starts anything: exit code 2 (a usage
   * error, as picocli's own), one line naming the setting, no stack trace.
   */
  @ParameterizedTest
  @CsvSource({
    "--idle-after, PT-1S, jobs.idle-after",
    "--idle-after, PT0S, jobs.idle-after",
    "--profile-ttl, -P1D, jobs.profile-ttl",
    "--profile-ttl, PT0S, jobs.profile-ttl",
    "--out-of-orderness, PT-5S, jobs.out-of-orderness",
    "--checkpoint-interval, PT0S, jobs.checkpoint-interval",
    "--redis-max-delay, PT-1S, jobs.redis-max-delay",
    "--parallelism, 0, jobs.parallelism",
    "--notify-hold, PT-1S, decisions.hold-for",
    "--control-share, 1.5, decisions.control-share",
    "--conversion-window, PT0S, analytics.conversion-window",
    "--attribution-half-life, -P1D, analytics.half-life",
    "--topic-name, nosuch=x.nosuch, nosuch",
    "--redis-uri, 'redis-cluster://10.0.0.1:7000,10.0.0.2', each seed of a Redis Cluster"
  })
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aSettingThatMakesNoSenseStopsTheServiceWithAUsageErrorNamingIt(
      String flag, String value, String named) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StreamJobsMain());
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute(flag, value, "--bootstrap-servers", "127.0.0.1:1");

    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(named).doesNotContain("\tat ");
  }
}
