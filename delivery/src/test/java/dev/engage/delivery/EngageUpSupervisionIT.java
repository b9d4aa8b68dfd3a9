package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.launcher.stack.StackServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code engage up} with every service, each killed with SIGKILL in turn: the supervisor starts it
 * again (stream-jobs from its newest checkpoint) while the others keep their processes, and {@code
 * engage status} counts the restarts; a service that cannot come back makes it give up. It lives in
 * the delivery module because that is built last, so every service's build is there to start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngageUpSupervisionIT {
  /** From SIGKILL to a new process: the restart. */
  private static final Duration RESTART_BOUND = Duration.ofSeconds(10);

  private static final Duration STREAM_JOBS_RESTART_BOUND = Duration.ofSeconds(30);

  /**
   * From SIGKILL to ready again. The Kafka broker takes longest (11 to 17 s on two busy cores: 5 to
   * 10 s to start and recover its logs, then its new registration waits for the controller to drop
   * the killed one's session).
   */
  private static final Duration READY_BOUND = Duration.ofSeconds(30);

  private static StackConfig config;
  private static StackCli cli;

  @BeforeAll
  static void up() {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    config =
        SharedStack.freshConfig(
            "up-supervision",
            Map.of(
                "ingestion.enabled", "true",
                "jobs.enabled", "true",
                "api.enabled", "true",
                "delivery.enabled", "true"));
    cli =
        new StackCli(
            config,
            "ingestion.enabled=true",
            "ingestion.port=" + config.ingestionPort(),
            "jobs.enabled=true",
            "jobs.rest-port=" + config.jobsRestPort(),
            "api.enabled=true",
            "api.port=" + config.apiPort(),
            "delivery.enabled=true",
            "delivery.port=" + config.deliveryPort(),
            "mail.smtp-port=" + config.mailSmtpPort(),
            "mail.web-port=" + config.mailWebPort());
    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
  }

  @AfterAll
  static void down() {
    cli.run("down");
  }

  @Test
  @Order(1)
  void eachKilledServiceIsRestartedWhileTheOthersKeepTheirProcesses() throws Exception {
    awaitCheckpoint();
    Map<String, String> seconds = new LinkedHashMap<>();
    for (ServiceSpec victim : StackServices.of(config)) {
      Map<String, Long> before = pids();
      assertThat(before).as("every service runs").hasSize(StackServices.of(config).size());

      long killedAt = System.nanoTime();
      ProcessHandle.of(before.get(victim.name())).orElseThrow().destroyForcibly();
      boolean jobs = victim.name().equals("stream-jobs");
      long newProcessAt =
          awaitRestarted(
              victim,
              before.get(victim.name()),
              jobs ? STREAM_JOBS_RESTART_BOUND : RESTART_BOUND,
              READY_BOUND);
      seconds.put(
          victim.name(),
          String.format(
              "%.1f/%.1f", (newProcessAt - killedAt) / 1e9, (System.nanoTime() - killedAt) / 1e9));

      Map<String, Long> after = pids();
      assertThat(after.get(victim.name())).isNotEqualTo(before.get(victim.name()));
      before.remove(victim.name());
      after.remove(victim.name());
      assertThat(after).as("the others keep their processes").isEqualTo(before);
    }
    System.out.println("seconds from SIGKILL to a new process / to ready again: " + seconds);

    assertThat(Files.readString(config.logDir().resolve("stream-jobs.log")))
        .as("the restarted Flink application resumed its state")
        .contains("Resuming from checkpoint");
    int status = cli.run("status");
    String printed = cli.output().substring(cli.output().lastIndexOf("engage up: running"));
    System.out.println(printed);
    assertThat(status).as(printed).isZero();
    for (ServiceSpec spec : StackServices.of(config)) {
      assertThat(printed)
          .containsPattern(spec.name() + " +pid \\d+ +restarts 1 +ready")
          .containsPattern("last restart \\S+, after it was killed by signal 9");
    }
    assertThat(Files.readString(config.logDir().resolve("engage.log")))
        .containsPattern(
            "engage: stream-jobs \\(pid \\d+\\) was killed by signal 9; restarting it in 0\\.5 s")
        .containsPattern("stream-jobs restarted \\(pid \\d+\\), ready in");
  }

  @Test
  @Order(2)
  void aServiceThatCannotComeBackMakesTheSupervisorGiveUpAndStopTheStack() throws Exception {
    long redis = pids().get("redis");
    ProcessHandle supervisor =
        new PidFile(config.runDir().resolve("engage.pid")).liveProcess().orElseThrow();
    ProcessHandle process = ProcessHandle.of(redis).orElseThrow();
    process.destroyForcibly();
    process.onExit().join();
    // its port taken the moment it died, so each restart fails at once
    try (ServerSocket squatter = takePort(config.redisPort())) {
      supervisor.onExit().get(120, TimeUnit.SECONDS);
    }
    String log = Files.readString(config.logDir().resolve("engage.log"));
    assertThat(log)
        .containsPattern("redis \\(pid \\d+\\) exited with code 1; restarting it in 4\\.0 s")
        .contains("redis stopped 5 times within 180 s (the last time it exited with code 1);")
        .contains("giving up and stopping the stack")
        .contains("Address already in use");
    assertThat(pids()).as("every service was stopped").isEmpty();
  }

  /** The listening port, taken again as soon as the process that held it is gone. */
  private static ServerSocket takePort(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        return new ServerSocket(port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /**
   * Waits until the service runs in a new process (within {@code restartBound} of the kill) that is
   * ready (within {@code readyBound}), and returns when (nanoTime) the new process was first seen.
   */
  private static long awaitRestarted(
      ServiceSpec service, long oldPid, Duration restartBound, Duration readyBound)
      throws InterruptedException {
    long killedAt = System.nanoTime();
    long newProcessAt = 0;
    while (System.nanoTime() - killedAt < readyBound.toNanos()) {
      Optional<ProcessHandle> current = PidFile.of(config.runDir(), service.name()).liveProcess();
      if (newProcessAt == 0 && current.isPresent() && current.get().pid() != oldPid) {
        newProcessAt = System.nanoTime();
        assertThat(Duration.ofNanos(newProcessAt - killedAt))
            .as(service.name() + " restarted within " + restartBound.toSeconds() + " s")
            .isLessThan(restartBound);
      }
      if (newProcessAt != 0 && ready(service)) {
        return newProcessAt;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        service.name()
            + (newProcessAt == 0
                ? " was not restarted within "
                : " was restarted but not ready again within ")
            + readyBound.toSeconds()
            + " s");
  }

  /** Waits for the Flink application's first completed checkpoint, so a restart has one. */
  private static void awaitCheckpoint() throws Exception {
    Path checkpoints = config.dataDir().resolve("flink").resolve("checkpoints");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(checkpoints)) {
        try (Stream<Path> files = Files.find(checkpoints, 3, (p, a) -> p.endsWith("_metadata"))) {
          if (files.findAny().isPresent()) {
            return;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no checkpoint under " + checkpoints + " within 60 s");
  }

  private static Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String name : StackServices.NAMES) {
      PidFile.of(config.runDir(), name)
          .liveProcess()
          .ifPresent(process -> pids.put(name, process.pid()));
    }
    return pids;
  }

  private static boolean ready(ServiceSpec service) {
    try {
      return service.readiness().check();
    } catch (Exception e) {
      return false;
    }
  }
}
