package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    checkPortsFree();
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

  /** Stops the one named service and starts it again (same ports, same data). */
  public void restart(String name) {
    ServiceProcess process = running.remove(name);
    if (process != null) {
      process.stop(STOP_GRACE);
    }
    ServiceSpec spec =
        StackServices.of(config).stream()
            .filter(s -> s.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    ServiceProcess started = ServiceProcess.start(spec, config.logDir(), config.runDir());
    running.put(name, started);
    started.awaitReady(Duration.ofSeconds(config.startupTimeoutSeconds()));
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
    return running.values().stream().filter(p -> !p.isAlive()).map(ServiceProcess::name).toList();
  }

  public ServiceProcess service(String name) {
    return running.get(name);
  }

  private void startService(ServiceSpec spec, int step, int steps) {
    if (stopping) {
      throw new ServiceException("start-up interrupted: the stack is stopping");
    }
    long began = System.nanoTime();
    out.printf("[%d/%d] %-11s starting: %s%n", step, steps, spec.name(), spec.description());
    ServiceProcess process = ServiceProcess.start(spec, config.logDir(), config.runDir());
    running.put(spec.name(), process);
    if (stopping) {
      // stop() took its snapshot before this service was registered
      process.stop(STOP_GRACE);
      throw new ServiceException("start-up interrupted: the stack is stopping");
    }
    process.awaitReady(Duration.ofSeconds(config.startupTimeoutSeconds()));
    out.printf(
        "[%d/%d] %-11s ready in %.1f s (log: %s)%n",
        step, steps, spec.name(), seconds(began), relative(process.logFile()));
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

  private void checkPortsFree() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("redis.port", config.redisPort());
    ports.put("kafka.port", config.kafkaPort());
    ports.put("kafka.controller-port", config.controllerPort());
    ports.put("registry.port", config.registryPort());
    if (config.ingestionEnabled()) {
      ports.put("ingestion.port", config.ingestionPort());
    }
    if (config.jobsEnabled()) {
      ports.put("jobs.rest-port", config.jobsRestPort());
    }
    ports.forEach(
        (setting, port) -> {
          try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
          } catch (IOException e) {
            throw new ServiceException(
                "port "
                    + port
                    + " ("
                    + setting
                    + ") is already in use by another program. "
                    + "Stop it, or choose another port, e.g. --set "
                    + setting
                    + "="
                    + (port + 100));
          }
        });
  }

  private static Path relative(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    return file.startsWith(cwd) ? cwd.relativize(file) : file;
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
