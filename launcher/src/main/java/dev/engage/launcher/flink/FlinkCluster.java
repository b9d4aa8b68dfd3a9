package dev.engage.launcher.flink;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.ServiceException;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A standalone Flink session cluster of the local stack ({@code jobs.flink: cluster}): one
 * JobManager and {@code jobs.task-managers} TaskManagers, each a process of its own run from the
 * engage-flink-cluster module's classpath with the entry points Flink's scripts use. They share one
 * configuration, written under {@code <data-dir>/flink/conf}: RocksDB, incremental checkpoints kept
 * on cancellation under {@code <data-dir>/flink/checkpoints}, and as many slots per TaskManager as
 * the job's parallelism, so the job can run on one when another is gone.
 */
public final class FlinkCluster {
  /** The JobManager's service name, and the TaskManagers' before their number. */
  public static final String JOB_MANAGER = "flink-jm";

  public static final String TASK_MANAGER = "flink-tm-";

  private static final String MODULE = "flink-cluster";

  /**
   * What Flink's distribution passes every JVM it starts ({@code env.java.opts.all}): Flink reaches
   * into these JDK packages by reflection, which Java 17 refuses unless opened.
   */
  private static final List<String> JVM_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /**
   * A TaskManager's memory, given part by part as Flink's start script would compute it from a
   * total (TaskManagerRunner run directly insists on the parts): 512 MB heap, 256 MB managed memory
   * for RocksDB, 64 MB network buffers.
   */
  private static final Map<String, String> TASK_MANAGER_MEMORY =
      orderedMap(
          "taskmanager.memory.framework.heap.size", "128m",
          "taskmanager.memory.task.heap.size", "384m",
          "taskmanager.memory.managed.size", "256m",
          "taskmanager.memory.framework.off-heap.size", "128m",
          "taskmanager.memory.task.off-heap.size", "0m",
          "taskmanager.memory.network.min", "64m",
          "taskmanager.memory.network.max", "64m",
          "taskmanager.memory.jvm-metaspace.size", "256m",
          "taskmanager.memory.jvm-overhead.min", "192m",
          "taskmanager.memory.jvm-overhead.max", "192m");

  /** The JVM limits that go with {@link #TASK_MANAGER_MEMORY}: heap, and direct memory. */
  private static final List<String> TASK_MANAGER_JVM =
      List.of("-Xmx512m", "-Xms512m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=256m");

  private FlinkCluster() {}

  /** The JobManager, then each TaskManager, in start order. */
  public static List<ServiceSpec> services(StackConfig config) {
    List<ServiceSpec> services = new ArrayList<>(List.of(jobManager(config)));
    for (int n = 1; n <= config.jobsTaskManagers(); n++) {
      services.add(taskManager(config, n));
    }
    return services;
  }

  /** Every name a cluster's process may have, for finding leftovers of an earlier run. */
  public static List<String> allNames() {
    List<String> names = new ArrayList<>(List.of(JOB_MANAGER));
    for (int n = 1; n <= StackConfig.MAX_TASK_MANAGERS; n++) {
      names.add(TASK_MANAGER + n);
    }
    return names;
  }

  /** The JobManager's REST address: the web UI, job submission and status. */
  public static String restUrl(StackConfig config) {
    return "http://localhost:" + config.jobsRestPort();
  }

  /** Where the cluster keeps its checkpoints, and the submitter looks for the newest. */
  public static Path checkpointDir(StackConfig config) {
    return config.dataDir().resolve("flink").resolve("checkpoints");
  }

  /**
   * The stream jobs' job jar, as the build writes it ({@code stream-jobs/target/...-job.jar}): what
   * {@code flink run} or {@code /jars/upload} takes on any cluster.
   */
  public static Path jobJar() {
    Path target =
        Path.of(System.getProperty("engage.home", "."))
            .toAbsolutePath()
            .normalize()
            .resolve("stream-jobs")
            .resolve("target");
    try (var jars = Files.list(target)) {
      return jars.filter(p -> p.getFileName().toString().matches("engage-stream-jobs-.*-job\\.jar"))
          .findFirst()
          .orElseThrow();
    } catch (IOException | java.util.NoSuchElementException e) {
      throw new ServiceException(
          "the stream jobs' job jar is not built (no "
              + target
              + "/engage-stream-jobs-*-job.jar). Build it with: mvn -q -DskipTests package"
              + " (./engage does this for you)");
    }
  }

  static ServiceSpec jobManager(StackConfig config) {
    return new ServiceSpec(
        JOB_MANAGER,
        "Flink JobManager, REST and web UI on "
            + restUrl(config)
            + ", RPC on port "
            + config.jobsRpcPort(),
        () ->
            jvm(
                config,
                List.of("-Xmx512m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"),
        () -> FlinkRest.of(restUrl(config)).answers());
  }

  /**
   * A TaskManager, registered under its name and the time it was started, so that readiness sees
   * this process's registration and not the one the JobManager still keeps for a killed predecessor
   * until its heartbeat times out.
   */
  static ServiceSpec taskManager(StackConfig config, int n) {
    String name = TASK_MANAGER + n;
    AtomicReference<String> resourceId = new AtomicReference<>("");
    return new ServiceSpec(
        name,
        "Flink TaskManager " + n + " of " + config.jobsTaskManagers(),
        () -> {
          resourceId.set(name + "-" + Long.toString(System.currentTimeMillis(), 36));
          List<String> command =
              jvm(
                  config,
                  TASK_MANAGER_JVM,
                  "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
          Path tmp = config.dataDir().resolve("flink").resolve("tmp").resolve(name);
          createDirectories(tmp);
          command.add("-Dtaskmanager.resource-id=" + resourceId.get());
          command.add("-Dio.tmp.dirs=" + tmp);
          return command;
        },
        () -> registered(config, name, resourceId.get()));
  }

  /**
   * True when the JobManager lists the TaskManager started as {@code resourceId}, or, for a spec
   * that did not start it ({@code engage status}), any start of the named one.
   */
  private static boolean registered(StackConfig config, String name, String resourceId) {
    return FlinkRest.of(restUrl(config)).taskManagers().stream()
        .anyMatch(id -> resourceId.isEmpty() ? id.startsWith(name + "-") : id.equals(resourceId));
  }

  private static List<String> jvm(StackConfig config, List<String> memory, String mainClass) {
    Path conf = writeConfiguration(config);
    List<String> command = new ArrayList<>(StackServices.ownProcessGroup());
    command.add(StackServices.javaBinary());
    command.addAll(memory);
    command.addAll(JVM_OPENS);
    command.add("-Dlog4j2.configurationFile=log4j2-flink.xml");
    command.addAll(List.of("-cp", StackServices.moduleClasspath(MODULE), mainClass));
    command.addAll(List.of("--configDir", conf.toString()));
    return command;
  }

  /** Writes {@code config.yaml} for every process of the cluster; returns its directory. */
  static Path writeConfiguration(StackConfig config) {
    Path flink = config.dataDir().resolve("flink");
    Path conf = flink.resolve("conf");
    String yaml =
        configuration(config).entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(
                Collectors.joining("\n", "# written by engage up (jobs.flink: cluster)\n", "\n"));
    createDirectories(conf);
    createDirectories(flink.resolve("uploads"));
    try {
      Files.writeString(conf.resolve("config.yaml"), yaml);
    } catch (IOException e) {
      throw new ServiceException("cannot write " + conf.resolve("config.yaml") + ": " + e);
    }
    return conf;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ServiceException("cannot create " + dir + ": " + e.getMessage());
    }
  }

  /** The cluster's settings, as Flink's {@code config.yaml} keys. */
  static Map<String, String> configuration(StackConfig config) {
    Path flink = config.dataDir().resolve("flink");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobmanager.rpc.address", "localhost");
    settings.put("jobmanager.rpc.port", Integer.toString(config.jobsRpcPort()));
    settings.put("jobmanager.bind-host", "localhost");
    settings.put("taskmanager.bind-host", "localhost");
    settings.put("taskmanager.host", "localhost");
    settings.put("rest.address", "localhost");
    settings.put("rest.bind-address", "localhost");
    settings.put("rest.port", Integer.toString(config.jobsRestPort()));
    settings.put("web.upload.dir", flink.resolve("uploads").toString());
    settings.put("jobmanager.memory.process.size", "768m");
    settings.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager(config)));
    settings.put("taskmanager.cpu.cores", Integer.toString(slotsPerTaskManager(config)));
    settings.putAll(TASK_MANAGER_MEMORY);
    // the job's parallel subtasks on different TaskManagers, so that losing one is a real failover
    settings.put("taskmanager.load-balance.mode", "SLOTS");
    settings.put("state.backend.type", "rocksdb");
    settings.put("execution.checkpointing.dir", checkpointDir(config).toUri().toString());
    settings.put("execution.checkpointing.incremental", "true");
    settings.put(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    // a killed TaskManager is noticed within seconds, not after the default 50 s
    settings.put("heartbeat.interval", "2000");
    settings.put("heartbeat.timeout", "10000");
    // the job's main runs inside the JobManager: an exit there must not stop it
    settings.put("cluster.intercept-user-system-exit", "THROW");
    return settings;
  }

  /** Enough slots on each TaskManager for the whole job. */
  static int slotsPerTaskManager(StackConfig config) {
    return config.jobsTuning().parallelism();
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
