package dev.engage.launcher.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a started local stack running: a service whose process ends is started again after the
 * {@link RestartPolicy}'s backoff, with the same ports and data (stream-jobs resumes from its
 * newest checkpoint, as on every start), while the others keep running. Each restart is printed and
 * recorded in the {@link RestartLog}. A service that fails too often in a short time is left down
 * and the supervisor gives up, with its last log lines.
 */
public final class Supervisor {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final int LOG_LINES = 10;

  private final LocalStack stack;
  private final RestartPolicy policy;
  private final RestartLog restarts;
  private final PrintWriter out;
  private final Map<String, List<Instant>> failures = new HashMap<>();

  public Supervisor(LocalStack stack, RestartPolicy policy, RestartLog restarts, PrintWriter out) {
    this.stack = stack;
    this.policy = policy;
    this.restarts = restarts;
    this.out = out;
  }

  /**
   * Watches the services until the stack is stopped; throws a {@link ServiceException} when one has
   * failed too often to be restarted again.
   */
  public void watch() throws InterruptedException {
    while (!stack.isStopping()) {
      for (String name : stack.deadServices()) {
        recover(name);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void recover(String name) throws InterruptedException {
    ServiceProcess dead = stack.service(name);
    int exitCode = dead.exitCode();
    Instant now = Instant.now();
    List<Instant> times = failures.computeIfAbsent(name, n -> new ArrayList<>());
    times.add(now);
    Optional<Duration> backoff = policy.backoff(times, now);
    if (backoff.isEmpty()) {
      throw new ServiceException(
          name
              + " stopped "
              + policy.recentFailures(times, now)
              + " times within "
              + policy.window().toSeconds()
              + " s (the last time it "
              + ServiceProcess.ending(exitCode)
              + "); giving up and stopping the stack. Fix what its log shows, then run"
              + " ./engage up again. Last lines of "
              + dead.logFile()
              + ":\n"
              + dead.tail(LOG_LINES * 2));
    }
    say(
        "%s (pid %d) %s; restarting it in %.1f s (failure %d within %d s; at %d it is left"
            + " down). Last lines of its log:%n%s",
        name,
        dead.pid(),
        ServiceProcess.ending(exitCode),
        backoff.get().toMillis() / 1000.0,
        policy.recentFailures(times, now),
        policy.window().toSeconds(),
        policy.maxFailures(),
        dead.tail(LOG_LINES).indent(4).stripTrailing());
    Thread.sleep(backoff.get().toMillis());
    if (stack.isStopping()) {
      return;
    }
    long began = System.nanoTime();
    try {
      stack.restart(name);
      restarts.record(name, Instant.now(), exitCode);
      say(
          "%s restarted (pid %d), ready in %.1f s; its log before the restart: %s",
          name,
          stack.service(name).pid(),
          (System.nanoTime() - began) / 1e9,
          dead.logFile().resolveSibling(name + ".previous.log"));
    } catch (ServiceException e) {
      if (!stack.isStopping()) {
        // the next round names how it ended, with its last log lines
        String reason = e.getMessage().lines().findFirst().orElse("");
        say("%s did not come back: %s", name, reason.replaceFirst(" Last lines of .*", ""));
      }
    }
  }

  private void say(String format, Object... args) {
    out.printf(
        "%s engage: %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), String.format(format, args));
  }
}
