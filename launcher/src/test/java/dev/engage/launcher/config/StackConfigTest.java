package dev.engage.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsFollowTheDesign() {
    StackConfig config = StackConfig.from(new SettingSources());

    assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.registryUrl()).isEqualTo("http://localhost:8081");
    assertThat(config.redisPort()).isEqualTo(6390);
    assertThat(config.dataDir()).isEqualTo(Path.of(".engage").toAbsolutePath());
    assertThat(config.topics().partitions()).isEqualTo(4);
  }

  @Test
  void fileThenEnvironmentThenFlagsEachOverrideTheLayerBefore() throws Exception {
    Path file = dir.resolve("engage.yaml");
    Files.writeString(
        file,
        "kafka:\n  port: 19092\nregistry:\n  port: 18081\nredis:\n  port: 16390\n"
            + "topics:\n  overrides:\n    touchpoints.raw:\n      partitions: 8\n");
    Map<String, String> flags = new HashMap<>();
    flags.put("redis.port", "26390");

    StackConfig config =
        StackConfig.from(
            new SettingSources()
                .withFile(file, true)
                .withEnvironment(
                    Map.of("ENGAGE_REGISTRY_PORT", "28081", "ENGAGE_REDIS_PORT", "36390"),
                    StackConfig.KEYS)
                .withFlags(flags));

    assertThat(config.kafkaPort()).isEqualTo(19092);
    assertThat(config.registryPort()).isEqualTo(28081);
    assertThat(config.redisPort()).isEqualTo(26390);
    assertThat(config.topics().partitionsById()).containsEntry("touchpoints.raw", 8);
  }

  @Test
  void theFlinkClusterIsChosenByJobsFlinkAndAnythingElseIsRefused() {
    assertThat(StackConfig.from(new SettingSources()).jobsOnCluster()).isFalse();
    StackConfig cluster =
        StackConfig.from(
            new SettingSources()
                .withEnvironment(Map.of("ENGAGE_JOBS_FLINK", "Cluster"), StackConfig.KEYS));
    assertThat(cluster.jobsOnCluster()).isTrue();
    assertThat(cluster.jobsRpcPort()).isEqualTo(6123);
    assertThat(cluster.jobsTaskManagers()).isEqualTo(2);

    assertThatThrownBy(
            () -> StackConfig.from(new SettingSources().withFlags(Map.of("jobs.flink", "yarn"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("jobs.flink (flag for jobs.flink) must be one of local, cluster, was 'yarn'");
    assertThatThrownBy(
            () ->
                StackConfig.from(new SettingSources().withFlags(Map.of("jobs.task-managers", "9"))))
        .hasMessageContaining(
            "jobs.task-managers (flag for jobs.task-managers) must be a whole number from 1 to 4");
    assertThatThrownBy(
            () -> StackConfig.from(new SettingSources().withFlags(Map.of("jobs.rpc-port", "8081"))))
        .hasMessageContaining("jobs.rpc-port")
        .hasMessageContaining("are both 8081");
  }

  @Test
  void badPortNamesTheSettingAndWhereItCameFrom() {
    SettingSources sources =
        new SettingSources()
            .withEnvironment(Map.of("ENGAGE_KAFKA_PORT", "90920"), StackConfig.KEYS);

    assertThatThrownBy(() -> StackConfig.from(sources))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.port (environment variable ENGAGE_KAFKA_PORT)")
        .hasMessageContaining("from 1 to 65535, was '90920'");
  }

  @Test
  void misspeltSettingIsRefusedListingTheKnownOnes() throws Exception {
    Path file = dir.resolve("engage.yaml");
    Files.writeString(file, "kafka:\n  prot: 9092\n");

    assertThatThrownBy(() -> StackConfig.from(new SettingSources().withFile(file, true)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown settings [kafka.prot (" + file + ")]")
        .hasMessageContaining("kafka.port");
  }

  @Test
  void unknownTopicOverrideIsRefusedListingTheTopics() {
    Map<String, String> flags = Map.of("topics.overrides.touchpoint.partitions", "3");

    assertThatThrownBy(() -> StackConfig.from(new SettingSources().withFlags(flags)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown topic 'touchpoint'")
        .hasMessageContaining("touchpoints.raw");
  }

  @Test
  void twoTopicsRenamedOntoOneNameAreRefusedAsEveryServiceWouldRefuseThem() {
    Map<String, String> flags = Map.of("topics.overrides.triggers.name", "actions");

    assertThatThrownBy(() -> StackConfig.from(new SettingSources().withFlags(flags)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("topics.overrides: topics actions and triggers are both named 'actions'");
  }

  @Test
  void twoServicesOnOnePortAreRefused() {
    Map<String, String> flags = Map.of("registry.port", "9092");

    assertThatThrownBy(() -> StackConfig.from(new SettingSources().withFlags(flags)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("are both 9092");
  }

  @Test
  void missingExplicitConfigFileIsAnError() {
    assertThatThrownBy(() -> new SettingSources().withFile(dir.resolve("nope.yaml"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void decisionSettingsComeFromFileEnvironmentAndFlagsOnTheDefaults() throws Exception {
    Path file = dir.resolve("engage.yaml");
    Files.writeString(
        file, "decisions:\n  top-k: 3\n  levers: GOLD_CARD=20,APP_TOUR=-50\n  daily-caps: sms=2\n");

    DecisionSettings decisions =
        StackConfig.from(
                new SettingSources()
                    .withFile(file, true)
                    .withEnvironment(
                        Map.of("ENGAGE_DECISIONS_CONTROL_SHARE", "0.1"), StackConfig.KEYS)
                    .withFlags(Map.of("decisions.notify-hold", "PT1S")))
            .decisions();

    DecisionSettings defaults = DecisionSettings.defaults();
    assertThat(decisions.topK()).isEqualTo(3);
    assertThat(decisions.levers()).isEqualTo(Map.of("GOLD_CARD", 20.0, "APP_TOUR", -50.0));
    assertThat(decisions.dailyCaps()).isEqualTo(Map.of("sms", 2));
    assertThat(decisions.controlShare()).isEqualTo(0.1);
    assertThat(decisions.holdFor()).isEqualTo(Duration.ofSeconds(1));
    assertThat(decisions.explorationShare()).isEqualTo(defaults.explorationShare());
    assertThat(decisions.weeklyCap()).isEqualTo(defaults.weeklyCap());
    assertThat(StackConfig.from(new SettingSources()).decisions()).isEqualTo(defaults);
  }

  @Test
  void analyticsSettingsComeFromTheSettingsAndBadOnesAreNamed() {
    AnalyticsSettings analytics =
        StackConfig.from(
                new SettingSources()
                    .withEnvironment(
                        Map.of("ENGAGE_ANALYTICS_GOALS", "booking_made, upgrade"), StackConfig.KEYS)
                    .withFlags(Map.of("analytics.conversion-window", "P3D")))
            .analytics();

    assertThat(analytics.goals()).containsExactlyInAnyOrder("booking_made", "upgrade");
    assertThat(analytics.conversionWindow()).isEqualTo(Duration.ofDays(3));
    assertThat(analytics.lookback()).isEqualTo(AnalyticsSettings.defaults().lookback());
    assertThat(StackConfig.from(new SettingSources()).analytics())
        .isEqualTo(AnalyticsSettings.defaults());
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources().withFlags(Map.of("analytics.half-life", "PT0S"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("analytics.half-life (flag for analytics.half-life) must be");
  }

  @Test
  void badDecisionSettingsNameTheSettingAndWhereItCameFrom() {
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources()
                        .withEnvironment(
                            Map.of("ENGAGE_DECISIONS_EXPLORATION_SHARE", "1.5"), StackConfig.KEYS)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "decisions.exploration-share (environment variable"
                + " ENGAGE_DECISIONS_EXPLORATION_SHARE) must be a share from 0 to 1, was '1.5'");
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources().withFlags(Map.of("decisions.daily-caps", "fax=1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("decisions.daily-caps (flag for decisions.daily-caps).fax");
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources().withFlags(Map.of("decisions.levers", "GOLD_CARD"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("decisions.levers (flag for decisions.levers) must be NAME=number");
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources().withFlags(Map.of("decisions.notify-hold", "5s"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("decisions.notify-hold (flag for decisions.notify-hold)");
  }

  @Test
  void aJobTuningTheStreamJobsWouldRefuseIsRefusedBeforeAnythingStartsNamingWhereItCameFrom() {
    assertThatThrownBy(
            () ->
                StackConfig.from(
                    new SettingSources()
                        .withEnvironment(Map.of("ENGAGE_JOBS_IDLE_AFTER", "PT0S"), StackConfig.KEYS)
                        .withFlags(Map.of("jobs.profile-ttl", "PT0S"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "jobs.idle-after (environment variable ENGAGE_JOBS_IDLE_AFTER) must be above 0, not"
                + " PT0S; jobs.profile-ttl (flag for jobs.profile-ttl) must be above 0, not"
                + " PT0S");
  }
}
