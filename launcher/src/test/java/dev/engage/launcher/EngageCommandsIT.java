package dev.engage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The commands a user types: up --detach, status, a second up, down. */
class EngageCommandsIT {
  private final StackConfig config = SharedStack.freshConfig("cli");
  private final StringWriter output = new StringWriter();

  @AfterEach
  void stopWhateverIsLeft() {
    run("down");
  }

  @Test
  void upDetachedReachesReadyThenStatusAndDownWork() {
    int up = run("up", "--detach");

    assertThat(up).as(output.toString()).isZero();
    assertThat(output.toString())
        .contains(
            "[3/4] topics",
            "16 topics ready",
            "ready in",
            config.registryUrl(),
            "redis-cli -p " + config.redisPort());
    assertThat(run("status")).as(output.toString()).isZero();

    int secondUp = run("up", "--detach");
    assertThat(secondUp).isEqualTo(1);
    assertThat(output.toString()).contains("already running");

    assertThat(run("down")).isZero();
    assertThat(output.toString()).contains("engage: stopped");
    assertThat(run("status")).isEqualTo(3);
  }

  @Test
  void badConfigurationExitsWith2AndSaysWhatToFix() {
    int code = run("status", "--set", "topics.partitions=seventy");

    assertThat(code).isEqualTo(2);
    assertThat(output.toString())
        .contains("configuration error", "topics.partitions", "was 'seventy'");
  }

  private int run(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(extra));
    args.addAll(
        List.of(
            "--data-dir",
            config.dataDir().toString(),
            "--kafka-port",
            Integer.toString(config.kafkaPort()),
            "--registry-port",
            Integer.toString(config.registryPort()),
            "--redis-port",
            Integer.toString(config.redisPort()),
            "--set",
            "kafka.controller-port=" + config.controllerPort(),
            "--set",
            "jobs.enabled=false",
            "--set",
            "ingestion.enabled=false",
            "--set",
            "api.enabled=false"));
    CommandLine cli = EngageCli.commandLine();
    PrintWriter writer = new PrintWriter(output, true);
    cli.setOut(writer);
    cli.setErr(writer);
    return cli.execute(args.toArray(String[]::new));
  }
}
