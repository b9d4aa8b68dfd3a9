package dev.engage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands a user types: up --detach, status, a second up, down. */
class EngageCommandsIT {
  private final StackConfig config = SharedStack.freshConfig("cli");
  private final StackCli cli =
      new StackCli(
          config,
          "jobs.enabled=false",
          "ingestion.enabled=false",
          "api.enabled=false",
          "delivery.enabled=false");

  @AfterEach
  void stopWhateverIsLeft() {
    cli.run("down");
  }

  @Test
  void upDetachedReachesReadyThenStatusAndDownWork() {
    int up = cli.run("up", "--detach");

    assertThat(up).as(cli.output()).isZero();
    assertThat(cli.output())
        .contains(
            "[3/4] topics",
            "22 topics ready",
            "ready in",
            config.registryUrl(),
            "redis-cli -p " + config.redisPort());
    assertThat(cli.run("status")).as(cli.output()).isZero();

    int secondUp = cli.run("up", "--detach");
    assertThat(secondUp).isEqualTo(1);
    assertThat(cli.output()).contains("already running");

    assertThat(cli.run("down")).isZero();
    assertThat(cli.output()).contains("engage: stopped");
    assertThat(cli.run("status")).isEqualTo(3);
  }

  @Test
  void badConfigurationExitsWith2AndSaysWhatToFix() {
    int code = cli.run("status", "--set", "topics.partitions=seventy");

    assertThat(code).isEqualTo(2);
    assertThat(cli.output()).contains("configuration error", "topics.partitions", "was 'seventy'");
  }
}
