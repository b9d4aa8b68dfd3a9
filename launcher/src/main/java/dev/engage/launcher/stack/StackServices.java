package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.flink.FlinkCluster;
import dev.engage.launcher.flink.FlinkRest;
import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.jobs.JobTuningOptions;
import dev.engage.schemas.topics.TopicOptions;
import dev.engage.schemas.topics.TopicSettings;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import redis.clients.jedis.Jedis;

/** The services of the local stack, in start order, as process specs built from the config. */
public final class StackServices {
  /** Main class of the child JVMs: the CLI's hidden {@code service} commands. */
  private static final String MAIN = "dev.engage.launcher.EngageCli";

  /** Every service's name, in start order (the Flink cluster's only with {@code jobs.flink}). */
  public static final List<String> NAMES = allNames();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private StackServices() {}

  public static List<ServiceSpec> of(StackConfig config) {
    List<ServiceSpec> specs =
        new ArrayList<>(List.of(redis(config), kafka(config), registry(config)));
    if (config.ingestionEnabled()) {
      specs.add(ingestion(config));
    }
    if (config.jobsEnabled() && config.jobsOnCluster()) {
      specs.addAll(FlinkCluster.services(config));
      specs.add(submittedStreamJobs(config));
    } else if (config.jobsEnabled()) {
      specs.add(streamJobs(config));
    }
    if (config.apiEnabled()) {
      specs.add(api(config));
    }
    if (config.deliveryEnabled()) {
      specs.add(mailbox(config));
      specs.add(delivery(config));
    }
    return specs;
  }

  /**
   * The collector and normalizer, from the ingestion module's own classpath: Kafka Streams must not
   * share a JVM (or its RocksDB jar) with anything else.
   */
  static ServiceSpec ingestion(StackConfig config) {
    Supplier<List<String>> command =
        () -> {
          List<String> full = new ArrayList<>(ownProcessGroup());
          full.addAll(
              ingestionJvm(
                  config.ingestionHeap(),
                  config.ingestionPort(),
                  config.bootstrapServers(),
                  config.registryUrl(),
                  config.dataDir().resolve("ingestion"),
                  config.topics()));
          return full;
        };
    return new ServiceSpec(
        "ingestion",
        "Collector on " + config.collectorUrl() + " and normalizer (Kafka Streams)",
        command,
        () -> httpOk(config.collectorUrl() + "/health"));
  }

  /**
   * The Flink application on a local MiniCluster (RocksDB, checkpoints under the data dir), from
   * the stream-jobs module's own classpath. Ready once its job runs.
   */
  static ServiceSpec streamJobs(StackConfig config) {
    Supplier<List<String>> command =
        () ->
            childJvm(
                "stream-jobs",
                config.jobsHeap(),
                "dev.engage.jobs.StreamJobsMain",
                streamJobsFlags(config).toArray(String[]::new));
    return new ServiceSpec(
        "stream-jobs",
        "Flink application (MiniCluster, RocksDB), REST on port " + config.jobsRestPort(),
        command,
        () -> FlinkRest.of(FlinkCluster.restUrl(config)).runsAJob());
  }

  /**
   * The stream jobs on the stack's Flink cluster ({@code jobs.flink: cluster}): this service is the
   * {@link dev.engage.launcher.flink.JobSubmitter}, which submits the job jar to the JobManager and
   * watches it. Ready once the job runs.
   */
  static ServiceSpec submittedStreamJobs(StackConfig config) {
    Supplier<List<String>> command =
        () -> {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--rest-url",
                      FlinkCluster.restUrl(config),
                      "--job-jar",
                      FlinkCluster.jobJar().toString(),
                      "--checkpoint-dir",
                      FlinkCluster.checkpointDir(config).toString(),
                      "--slots",
                      Integer.toString(config.jobsTuning().parallelism()),
                      "--"));
          args.addAll(jobFlags(config));
          return javaCommand("flink-job", "128m", args.toArray(String[]::new));
        };
    return new ServiceSpec(
        "stream-jobs",
        "Flink application, submitted to the JobManager on " + FlinkCluster.restUrl(config),
        command,
        () -> FlinkRest.of(FlinkCluster.restUrl(config)).runsAJob());
  }

  /**
   * The stream jobs' flags on the local MiniCluster: {@link #jobFlags}, and where checkpoints go
   * and the REST port.
   */
  static List<String> streamJobsFlags(StackConfig config) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--checkpoint-dir",
                config.dataDir().resolve("flink").resolve("checkpoints").toString(),
                "--rest-port",
                Integer.toString(config.jobsRestPort())));
    flags.addAll(jobFlags(config));
    return flags;
  }

  /**
   * The stream jobs' flags wherever they run: where Kafka, the registry and Redis are, and the
   * stack's tuning, decision and topic settings.
   */
  static List<String> jobFlags(StackConfig config) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--registry-url",
                config.registryUrl(),
                "--redis-uri",
                "redis://localhost:" + config.redisPort()));
    flags.addAll(JobTuningOptions.flags(config.jobsTuning()));
    flags.addAll(decisionFlags(config.decisions()));
    flags.addAll(analyticsFlags(config.analytics()));
    flags.addAll(TopicOptions.flags(config.topics()));
    return flags;
  }

  /**
   * The ingestion service's JVM on these settings, its sources file and state under {@code dir}
   * (the file made with the local write keys if missing): the stack's, and the one the stream jobs'
   * tests run as their normalizer.
   */
  public static List<String> ingestionJvm(
      String heap,
      int port,
      String bootstrapServers,
      String registryUrl,
      Path dir,
      TopicSettings topics) {
    createDirectories(dir);
    LocalSources.createIfMissing(dir.resolve("ingestion.yaml"));
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--port",
                Integer.toString(port),
                "--bootstrap-servers",
                bootstrapServers,
                "--registry-url",
                registryUrl,
                "--config",
                dir.resolve("ingestion.yaml").toString(),
                "--state-dir",
                dir.resolve("state").toString()));
    flags.addAll(TopicOptions.flags(topics));
    return moduleJvm(
        "ingestion", heap, "dev.engage.ingestion.IngestionMain", flags.toArray(String[]::new));
  }

  /** The service's own flags, then the stack's topic settings ({@link TopicOptions}). */
  private static String[] withTopics(StackConfig config, String... flags) {
    List<String> all = new ArrayList<>(List.of(flags));
    all.addAll(TopicOptions.flags(config.topics()));
    return all.toArray(String[]::new);
  }

  /** The decision settings as the stream jobs' flags (no {@code --levers} when there are none). */
  static List<String> decisionFlags(DecisionSettings decisions) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--top-k",
                Integer.toString(decisions.topK()),
                "--exploration-share",
                Double.toString(decisions.explorationShare()),
                "--control-share",
                Double.toString(decisions.controlShare()),
                "--daily-caps",
                pairs(decisions.dailyCaps()),
                "--weekly-cap",
                Integer.toString(decisions.weeklyCap()),
                "--notify-hold",
                decisions.holdFor().toString()));
    if (!decisions.levers().isEmpty()) {
      flags.addAll(List.of("--levers", pairs(decisions.levers())));
    }
    return flags;
  }

  /** The analytics settings as the stream jobs' flags. */
  static List<String> analyticsFlags(AnalyticsSettings analytics) {
    return List.of(
        "--goals",
        String.join(",", new TreeSet<>(analytics.goals())),
        "--attribution-lookback",
        analytics.lookback().toString(),
        "--attribution-half-life",
        analytics.halfLife().toString(),
        "--conversion-window",
        analytics.conversionWindow().toString());
  }

  private static String pairs(Map<String, ?> weights) {
    return weights.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /**
   * The serving API with the agent console and rule studio, from the serving-api module's own
   * classpath, with a key per role and the unsubscribe secret (shared with delivery) created on
   * first start. Ready once it answers {@code /health}.
   */
  static ServiceSpec api(StackConfig config) {
    Path keys = LocalApiKeys.file(config);
    Supplier<List<String>> command =
        () -> {
          createDirectories(keys.getParent());
          LocalApiKeys.createIfMissing(keys);
          return childJvm(
              "serving-api",
              config.apiHeap(),
              "dev.engage.api.ServingApiMain",
              withTopics(
                  config,
                  "--port",
                  Integer.toString(config.apiPort()),
                  "--redis-uri",
                  "redis://localhost:" + config.redisPort(),
                  "--bootstrap-servers",
                  config.bootstrapServers(),
                  "--registry-url",
                  config.registryUrl(),
                  "--api-keys",
                  keys.toString(),
                  "--unsubscribe-secret-file",
                  LocalSecrets.unsubscribeSecret(config).toString()));
        };
    return new ServiceSpec(
        "api",
        "Serving API, agent console and rule studio on " + config.apiUrl(),
        command,
        () -> httpOk(config.apiUrl() + "/health"));
  }

  /**
   * The local mailbox: catches email on the SMTP port and SMS and push webhooks on its web port,
   * and shows them all on its page, so a fresh stack delivers on every channel without sending
   * anything to anyone.
   */
  static ServiceSpec mailbox(StackConfig config) {
    Supplier<List<String>> command =
        () -> {
          LocalDelivery.createIfMissing(config);
          return javaCommand(
              "mailbox",
              "192m",
              "--smtp-port",
              Integer.toString(config.mailSmtpPort()),
              "--web-port",
              Integer.toString(config.mailWebPort()),
              "--webhook-secret-file",
              LocalDelivery.webhookSecretFile(config).toString());
        };
    return new ServiceSpec(
        "mailbox",
        "Local mailbox: SMTP on port " + config.mailSmtpPort() + ", page " + config.mailboxUrl(),
        command,
        () -> httpOk(config.mailboxUrl() + "/messages.json"));
  }

  /**
   * Delivery (email, SMS and push webhooks, the in-app inbox), from the delivery module's own
   * classpath, with the providers of {@code .engage/delivery/delivery.yaml}. Ready once it has read
   * the contacts and holds its partitions.
   */
  static ServiceSpec delivery(StackConfig config) {
    Supplier<List<String>> command =
        () -> {
          LocalDelivery.createIfMissing(config);
          return childJvm(
              "delivery",
              config.deliveryHeap(),
              "dev.engage.delivery.DeliveryMain",
              withTopics(
                  config,
                  "--port",
                  Integer.toString(config.deliveryPort()),
                  "--bootstrap-servers",
                  config.bootstrapServers(),
                  "--registry-url",
                  config.registryUrl(),
                  "--redis-uri",
                  "redis://localhost:" + config.redisPort(),
                  "--config",
                  LocalDelivery.configFile(config).toString(),
                  "--unsubscribe-secret-file",
                  LocalSecrets.unsubscribeSecret(config).toString()));
        };
    return new ServiceSpec(
        "delivery",
        "Delivery (email, SMS, push, in-app), metrics on " + config.deliveryUrl(),
        command,
        () -> httpOk(config.deliveryUrl() + "/health"));
  }

  /**
   * A module's runtime classpath, as its build wrote it ({@code <module>/target/classpath.txt}).
   */
  public static String moduleClasspath(String module) {
    Path home = Path.of(System.getProperty("engage.home", ".")).toAbsolutePath().normalize();
    Path target = home.resolve(module).resolve("target");
    Path classpathFile = target.resolve("classpath.txt");
    if (!Files.exists(classpathFile) || !Files.isDirectory(target.resolve("classes"))) {
      throw new ServiceException(
          "the "
              + module
              + " module is not built ("
              + classpathFile
              + " is missing). Build it with: mvn -q -DskipTests package (./engage does this for you)");
    }
    try {
      return target.resolve("classes")
          + File.pathSeparator
          + Files.readString(classpathFile).trim();
    } catch (java.io.IOException e) {
      throw new ServiceException("cannot read " + classpathFile + ": " + e.getMessage());
    }
  }

  private static List<String> allNames() {
    List<String> names = new ArrayList<>(List.of("redis", "kafka", "registry", "ingestion"));
    names.addAll(FlinkCluster.allNames());
    names.addAll(List.of("stream-jobs", "api", "mailbox", "delivery"));
    return List.copyOf(names);
  }

  private static boolean httpOk(String url) throws Exception {
    return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static ServiceSpec redis(StackConfig config) {
    Path dir = config.dataDir().resolve("redis");
    Supplier<List<String>> command =
        () -> {
          createDirectories(dir);
          return ownProcessGroup(
              findRedis(config.redisBinary()),
              "--port",
              Integer.toString(config.redisPort()),
              "--bind",
              "127.0.0.1",
              "--dir",
              dir.toString(),
              "--appendonly",
              "yes",
              "--daemonize",
              "no",
              "--logfile",
              "");
        };
    return new ServiceSpec(
        "redis",
        "Redis on port " + config.redisPort(),
        command,
        () -> {
          try (Jedis jedis = new Jedis("127.0.0.1", config.redisPort(), 500)) {
            return "PONG".equals(jedis.ping());
          }
        });
  }

  static ServiceSpec kafka(StackConfig config) {
    Supplier<List<String>> command =
        () ->
            javaCommand(
                "kafka",
                config.kafkaHeap(),
                "--dir",
                config.dataDir().resolve("kafka").toString(),
                "--host",
                config.kafkaHost(),
                "--port",
                Integer.toString(config.kafkaPort()),
                "--controller-port",
                Integer.toString(config.controllerPort()),
                "--partitions",
                Integer.toString(config.topics().partitions()));
    return new ServiceSpec(
        "kafka",
        "Kafka broker (KRaft) on " + config.bootstrapServers(),
        command,
        () -> portOpen(config.kafkaHost(), config.kafkaPort()) && kafkaAnswers(config));
  }

  static ServiceSpec registry(StackConfig config) {
    Supplier<List<String>> command =
        () ->
            javaCommand(
                "registry",
                config.registryHeap(),
                "--port",
                Integer.toString(config.registryPort()),
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--topic",
                config.registryTopic(),
                "--replication-factor",
                Short.toString(config.topics().replicationFactor()));
    return new ServiceSpec(
        "registry",
        "Schema registry on " + config.registryUrl(),
        command,
        () -> httpOk(config.registryUrl() + "/subjects"));
  }

  /**
   * The command that runs {@code mainClass} in a JVM of its own, on a module's build classpath
   * ({@link #moduleClasspath}), with the given heap (the JVM's default when null).
   */
  public static List<String> moduleJvm(
      String module, String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    if (heap != null) {
      command.add("-Xmx" + heap);
    }
    command.addAll(List.of("-cp", moduleClasspath(module), mainClass));
    command.addAll(List.of(args));
    return command;
  }

  /** A service's JVM, in a process group of its own so that stopping it stops its children. */
  private static List<String> childJvm(
      String module, String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>(ownProcessGroup());
    command.addAll(moduleJvm(module, heap, mainClass, args));
    return command;
  }

  /**
   * Runs the command in its own session when {@code setsid} is there, so Ctrl-C on {@code engage
   * up} reaches only the supervisor, which then stops the services in order.
   */
  public static List<String> ownProcessGroup(String... command) {
    List<String> full = new ArrayList<>();
    onPath("setsid").ifPresent(setsid -> full.add(setsid.toString()));
    full.addAll(List.of(command));
    return full;
  }

  private static List<String> javaCommand(String service, String heap, String... args) {
    List<String> command = new ArrayList<>(ownProcessGroup());
    command.add(javaBinary());
    command.add("-Xmx" + heap);
    command.add("-Dlog4j2.configurationFile=log4j2-service.xml");
    command.add("-Dengage.service=" + service);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.add("service");
    command.add(service);
    command.addAll(List.of(args));
    return command;
  }

  private static boolean kafkaAnswers(StackConfig config) throws Exception {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    try (Admin admin = Admin.create(props)) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    }
  }

  static boolean portOpen(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The redis-server binary, or a clear error with the one command that installs it. */
  static String findRedis(String configured) {
    Optional<Path> found =
        configured.contains(File.separator)
            ? Optional.of(Path.of(configured)).filter(Files::isExecutable)
            : onPath(configured);
    return found
        .map(Path::toString)
        .orElseThrow(
            () ->
                new ServiceException(
                    "'"
                        + configured
                        + "' was not found (setting redis.binary). Install Redis with:\n"
                        + "    sudo apt-get install -y redis-server\n"
                        + "or point redis.binary (ENGAGE_REDIS_BINARY) at a redis-server binary."));
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new ServiceException("cannot create " + dir + ": " + e.getMessage());
    }
  }
}
