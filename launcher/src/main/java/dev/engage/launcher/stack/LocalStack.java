package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack: Redis, a Kafka broker and the schema registry, each its own child process,
 * started in order with a progress line each, then every topic of the catalog. Stopped in reverse
 * order.
 */
public final class LocalStack implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final StackConfig config;
  private final PrintWriter out;
  // Changed by start() on the main thread and by stop() from the Ctrl-C shutdown hook.
  private final Map<String, ServiceProcess> running =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean stopping;

  public LocalStack(StackConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /** Starts every service and creates the topics; on failure stops what was started. */
  public void start() {
    long began = System.nanoTime();
    stopping = false;
    stopLeftovers(config, out);
    List<ServiceSpec> specs = StackServices.of(config);
    PortCheck.requireFree(PortCheck.ports(config));
    try {
      int step = 1;
      int steps = specs.size() + 1;
      for (ServiceSpec spec : specs) {
        startService(spec, step++, steps);
        if (spec.name().equals("kafka")) {
          // before the services that read or write them
          createTopics(step++, steps);
        }
      }
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    out.printf("ready in %.1f s%n", seconds(began));
  }

  /**
   * Stops the one named service (if it still runs) and starts it again with the same ports and
   * data, waiting until it is ready. When it does not get ready, it is left stopped, so {@link
   * #deadServices} names it again.
   */
  public void restart(String name) {
    ServiceProcess process = running.get(name);
    if (process != null) {
      process.stop(STOP_GRACE);
    }
    ServiceSpec spec =
        StackServices.of(config).stream()
            .filter(s -> s.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    ServiceProcess started = launch(spec);
    try {
      started.awaitReady(Duration.ofSeconds(config.startupTimeoutSeconds()));
    } catch (ServiceException e) {
      started.stop(STOP_GRACE);
      throw e;
    }
  }

  /** Stops every running service, last started first. */
  public void stop() {
    stopping = true;
    List<ServiceProcess> reverse;
    synchronized (running) {
      reverse = new ArrayList<>(running.values());
    }
    Collections.reverse(reverse);
    for (ServiceProcess process : reverse) {
      out.printf("stopping %s%n", process.name());
      process.stop(STOP_GRACE);
      running.remove(process.name());
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Names of services whose process has died since start (none while stopping on purpose). */
  public List<String> deadServices() {
    if (stopping) {
      return List.of();
    }
    synchronized (running) {
      return running.values().stream().filter(p -> !p.isAlive()).map(ServiceProcess::name).toList();
    }
  }

  /** True once {@link #stop} was called: nothing is started or restarted any more. */
  public boolean isStopping() {
    return stopping;
  }

  public ServiceProcess service(String name) {
    return running.get(name);
  }

  private void startService(ServiceSpec spec, int step, int steps) {
    long began = System.nanoTime();
    out.printf("[%d/%d] %-11s starting: %s%n", step, steps, spec.name(), spec.description());
    ServiceProcess process = launch(spec);
    process.awaitReady(Duration.ofSeconds(config.startupTimeoutSeconds()));
    out.printf(
        "[%d/%d] %-11s ready in %.1f s (log: %s)%n",
        step, steps, spec.name(), seconds(began), relative(process.logFile()));
  }

  /** Starts the service's process and registers it, unless the stack is stopping. */
  private ServiceProcess launch(ServiceSpec spec) {
    if (stopping) {
      throw new ServiceException("start-up interrupted: the stack is stopping");
    }
    ServiceProcess process = ServiceProcess.start(spec, config.logDir(), config.runDir());
    running.put(spec.name(), process);
    if (stopping) {
      // stop() took its snapshot before this service was registered
      process.stop(STOP_GRACE);
      throw new ServiceException("start-up interrupted: the stack is stopping");
    }
    return process;
  }

  private void createTopics(int step, int steps) {
    long began = System.nanoTime();
    TopicCatalog catalog =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    TopicCreator.Outcome outcome = TopicCreator.ensure(config.bootstrapServers(), catalog);
    out.printf(
        "[%d/%d] %-11s %d topics ready (%d created%s) in %.1f s%n",
        step,
        steps,
        "topics",
        outcome.total(),
        outcome.created().size(),
        outcome.changed().isEmpty() ? "" : ", changed: " + String.join("; ", outcome.changed()),
        seconds(began));
  }

  /**
   * Stops services left running by an earlier supervisor that was killed without cleaning up, found
   * through their pid files, and returns how many there were.
   */
  public static int stopLeftovers(StackConfig config, PrintWriter out) {
    int stopped = 0;
    for (String name : StackServices.NAMES) {
      PidFile pidFile = PidFile.of(config.runDir(), name);
      Optional<ProcessHandle> process = pidFile.liveProcess();
      if (process.isPresent()) {
        out.printf("stopping leftover %s (pid %d)%n", name, process.get().pid());
        ServiceProcess.stop(process.get(), STOP_GRACE, name);
        stopped++;
      }
      pidFile.delete();
    }
    return stopped;
  }

  private static Path relative(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    return file.startsWith(cwd) ? cwd.relativize(file) : file;
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
