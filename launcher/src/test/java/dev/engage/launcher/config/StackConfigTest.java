package dev.engage.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
