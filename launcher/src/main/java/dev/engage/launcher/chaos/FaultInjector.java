package dev.engage.launcher.chaos;

import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kills one service of the running stack at a time with SIGKILL, at random moments, and times how
 * long the supervisor of {@code engage up} takes to start it in a new process and to have it ready
 * again, checking that no other service of the stack got a new process meanwhile. The services take
 * turns in a shuffled order, so each is hit as often as the others; the next fault comes only once
 * the last one's service is back.
 */
final class FaultInjector implements Runnable {
  /** A service not ready again this long after its kill stops the faults and fails the run. */
  static final Duration RECOVERY_BOUND = Duration.ofMinutes(2);

  private final List<ServiceSpec> victims;
  private final Path runDir;
  private final Duration meanInterval;
  private final int maxFaults;
  private final Random random;
  private final PrintWriter out;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, List<Recovery>> recoveries = new LinkedHashMap<>();
  private final List<String> cascades = new ArrayList<>();
  private volatile String notRecovered;

  /**
   * @param maxFaults how many faults at most, after which it ends by itself
   */
  FaultInjector(
      List<ServiceSpec> victims,
      Path runDir,
      Duration meanInterval,
      int maxFaults,
      long seed,
      PrintWriter out) {
    this.victims = List.copyOf(victims);
    this.runDir = runDir;
    this.meanInterval = meanInterval;
    this.maxFaults = maxFaults;
    this.random = new Random(seed);
    this.out = out;
    victims.forEach(v -> recoveries.put(v.name(), new ArrayList<>()));
  }

  void stop() {
    stop.set(true);
  }

  /** Seconds from a kill to the service's new process, and to its being ready again. */
  record Recovery(double newProcessSeconds, double readySeconds) {}

  /** Each kill's recovery, by service. */
  synchronized Map<String, List<Recovery>> recoveries() {
    Map<String, List<Recovery>> copy = new LinkedHashMap<>();
    recoveries.forEach((name, times) -> copy.put(name, List.copyOf(times)));
    return copy;
  }

  /** Other services that got a new process while one was killed and came back: none, promised. */
  synchronized List<String> cascades() {
    return List.copyOf(cascades);
  }

  /** The service that did not come back within {@link #RECOVERY_BOUND}, if one did not. */
  String notRecovered() {
    return notRecovered;
  }

  @Override
  public void run() {
    List<ServiceSpec> turn = new ArrayList<>();
    for (int fault = 0; fault < maxFaults && !stop.get(); fault++) {
      // between half and one and a half times the mean interval
      long waitMs = (long) (meanInterval.toMillis() * (0.5 + random.nextDouble()));
      if (!sleepUnlessStopped(waitMs)) {
        return;
      }
      if (turn.isEmpty()) {
        turn.addAll(victims);
        Collections.shuffle(turn, random);
      }
      ServiceSpec victim = turn.remove(0);
      if (!kill(victim)) {
        return;
      }
    }
  }

  /** Kills the service and waits for it to be ready again; false when it did not come back. */
  private boolean kill(ServiceSpec victim) {
    PidFile pidFile = PidFile.of(runDir, victim.name());
    ProcessHandle process = pidFile.liveProcess().orElse(null);
    if (process == null) {
      notRecovered = victim.name() + " was not running when its turn came";
      return false;
    }
    Map<String, Long> others = livePids();
    others.remove(victim.name());
    long killedAt = System.nanoTime();
    process.destroyForcibly();
    out.printf("chaos: killed %s (pid %d)%n", victim.name(), process.pid());
    long deadline = killedAt + RECOVERY_BOUND.toNanos();
    long newProcessAt = 0;
    while (System.nanoTime() < deadline) {
      boolean restarted = pidFile.liveProcess().filter(p -> p.pid() != process.pid()).isPresent();
      if (restarted && newProcessAt == 0) {
        newProcessAt = System.nanoTime();
      }
      if (restarted && ready(victim)) {
        long readyAt = System.nanoTime();
        Recovery recovery =
            new Recovery((newProcessAt - killedAt) / 1e9, (readyAt - killedAt) / 1e9);
        Map<String, Long> after = livePids();
        synchronized (this) {
          recoveries.get(victim.name()).add(recovery);
          others.forEach(
              (name, pid) -> {
                if (!pid.equals(after.get(name))) {
                  cascades.add(name + " (while " + victim.name() + " was down)");
                }
              });
        }
        out.printf(
            "chaos: %s in a new process after %.1f s, ready again after %.1f s%n",
            victim.name(), recovery.newProcessSeconds(), recovery.readySeconds());
        return true;
      }
      try {
        Thread.sleep(100); // even after stop(): the service's recovery is still timed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    notRecovered =
        victim.name() + " was not ready again " + RECOVERY_BOUND.toSeconds() + " s after its kill";
    out.println("chaos: " + notRecovered + "; no more faults");
    return false;
  }

  /** The pid of every service of the stack that runs now. */
  private Map<String, Long> livePids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String name : StackServices.NAMES) {
      PidFile.of(runDir, name).liveProcess().ifPresent(p -> pids.put(name, p.pid()));
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

  private boolean sleepUnlessStopped(long millis) {
    long until = System.currentTimeMillis() + millis;
    while (!stop.get() && System.currentTimeMillis() < until) {
      try {
        Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stop.get();
  }
}
