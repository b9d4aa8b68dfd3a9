package dev.engage.launcher.config;

import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.jobs.JobTuning;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of the local stack, validated when loaded. Defaults follow DESIGN.md: Kafka 9092
 * (controller 9093), registry 8081, Redis 6390, data under {@code ./.engage}.
 *
 * <p>Settings (YAML file keys; environment {@code ENGAGE_<KEY>}; flags):
 *
 * <ul>
 *   <li>{@code data-dir}, {@code kafka.host}, {@code kafka.port}, {@code kafka.controller-port},
 *       {@code kafka.heap}
 *   <li>{@code registry.port}, {@code registry.topic}, {@code registry.heap}
 *   <li>{@code ingestion.enabled}, {@code ingestion.port}, {@code ingestion.heap}
 *   <li>{@code jobs.enabled}, {@code jobs.rest-port} (Flink REST), {@code jobs.heap}; {@code
 *       jobs.flink}: {@code local} (a MiniCluster in the stream-jobs process) or {@code cluster} (a
 *       JobManager on {@code jobs.rpc-port} and {@code jobs.task-managers} TaskManagers, each its
 *       own process, the job submitted to them over REST); and the job's tuning ({@link JobTuning},
 *       passed on as its flags): {@code jobs.checkpoint-interval}, {@code jobs.parallelism}, {@code
 *       jobs.out-of-orderness}, {@code jobs.idle-after}, {@code jobs.redis-max-delay}, {@code
 *       jobs.profile-ttl} (durations in ISO-8601)
 *   <li>{@code api.enabled}, {@code api.port} (serving API and web pages), {@code api.heap}
 *   <li>{@code delivery.enabled}, {@code delivery.port} (its /health and /metrics), {@code
 *       delivery.heap}; {@code mail.smtp-port} and {@code mail.web-port} (the local mailbox that
 *       catches what delivery sends, started with it)
 *   <li>{@code redis.port}, {@code redis.binary}
 *   <li>{@code topics.partitions}, {@code topics.replication-factor}, and per topic {@code
 *       topics.overrides.<topic>.name} / {@code .partitions}
 *   <li>{@code startup-timeout-seconds}
 *   <li>the stream jobs' decision settings, passed on as their flags: {@code decisions.top-k},
 *       {@code decisions.exploration-share}, {@code decisions.control-share}, {@code
 *       decisions.levers} ({@code CODE=w,...}), {@code decisions.daily-caps} ({@code
 *       channel=n,...}), {@code decisions.weekly-cap}, {@code decisions.notify-hold} (ISO-8601)
 *   <li>the stream jobs' analytics settings, passed on as their flags: {@code analytics.goals}
 *       (touchpoint types, comma-separated), {@code analytics.lookback}, {@code
 *       analytics.half-life}, {@code analytics.conversion-window} (ISO-8601)
 * </ul>
 */
public record StackConfig(
    Path dataDir,
    String kafkaHost,
    int kafkaPort,
    int controllerPort,
    String kafkaHeap,
    int registryPort,
    String registryTopic,
    String registryHeap,
    boolean ingestionEnabled,
    int ingestionPort,
    String ingestionHeap,
    boolean jobsEnabled,
    int jobsRestPort,
    String jobsHeap,
    boolean jobsOnCluster,
    int jobsRpcPort,
    int jobsTaskManagers,
    JobTuning jobsTuning,
    boolean apiEnabled,
    int apiPort,
    String apiHeap,
    boolean deliveryEnabled,
    int deliveryPort,
    String deliveryHeap,
    int mailSmtpPort,
    int mailWebPort,
    int redisPort,
    String redisBinary,
    TopicSettings topics,
    int startupTimeoutSeconds,
    DecisionSettings decisions,
    AnalyticsSettings analytics) {

  public static final List<String> KEYS =
      List.of(
          "data-dir",
          "kafka.host",
          "kafka.port",
          "kafka.controller-port",
          "kafka.heap",
          "registry.port",
          "registry.topic",
          "registry.heap",
          "ingestion.enabled",
          "ingestion.port",
          "ingestion.heap",
          "jobs.enabled",
          "jobs.rest-port",
          "jobs.heap",
          "jobs.flink",
          "jobs.rpc-port",
          "jobs.task-managers",
          "jobs.checkpoint-interval",
          "jobs.parallelism",
          "jobs.out-of-orderness",
          "jobs.idle-after",
          "jobs.redis-max-delay",
          "jobs.profile-ttl",
          "api.enabled",
          "api.port",
          "api.heap",
          "delivery.enabled",
          "delivery.port",
          "delivery.heap",
          "mail.smtp-port",
          "mail.web-port",
          "redis.port",
          "redis.binary",
          "topics.partitions",
          "topics.replication-factor",
          "startup-timeout-seconds",
          "decisions.top-k",
          "decisions.exploration-share",
          "decisions.control-share",
          "decisions.levers",
          "decisions.daily-caps",
          "decisions.weekly-cap",
          "decisions.notify-hold",
          "analytics.goals",
          "analytics.lookback",
          "analytics.half-life",
          "analytics.conversion-window");

  private static final String OVERRIDES = "topics.overrides.";

  /** The most TaskManagers {@code jobs.task-managers} may start. */
  public static final int MAX_TASK_MANAGERS = 4;

  public String bootstrapServers() {
    return kafkaHost + ":" + kafkaPort;
  }

  public String registryUrl() {
    return "http://localhost:" + registryPort;
  }

  public String collectorUrl() {
    return "http://localhost:" + ingestionPort;
  }

  public String apiUrl() {
    return "http://localhost:" + apiPort;
  }

  /** The delivery service's operator port ({@code /health}, {@code /metrics}). */
  public String deliveryUrl() {
    return "http://localhost:" + deliveryPort;
  }

  /** The local mailbox: what was sent by email, SMS and push, caught instead of sent. */
  public String mailboxUrl() {
    return "http://localhost:" + mailWebPort;
  }

  public Path logDir() {
    return dataDir.resolve("logs");
  }

  public Path runDir() {
    return dataDir.resolve("run");
  }

  /** Builds and validates the configuration; errors name the setting and where it came from. */
  public static StackConfig from(SettingSources sources) {
    rejectUnknownKeys(sources);
    Reader r = new Reader(sources);
    StackConfig config =
        new StackConfig(
            Path.of(r.text("data-dir", ".engage")).toAbsolutePath().normalize(),
            r.text("kafka.host", "localhost"),
            r.port("kafka.port", 9092),
            r.port("kafka.controller-port", 9093),
            r.heap("kafka.heap", "768m"),
            r.port("registry.port", 8081),
            r.text("registry.topic", "_schemas"),
            r.heap("registry.heap", "256m"),
            r.bool("ingestion.enabled", true),
            r.port("ingestion.port", 8090),
            r.heap("ingestion.heap", "512m"),
            r.bool("jobs.enabled", true),
            r.port("jobs.rest-port", 8082),
            r.heap("jobs.heap", "1g"),
            r.choice("jobs.flink", "local", List.of("local", "cluster")).equals("cluster"),
            r.port("jobs.rpc-port", 6123),
            r.integer("jobs.task-managers", 2, 1, MAX_TASK_MANAGERS),
            jobTuning(r),
            r.bool("api.enabled", true),
            r.port("api.port", 8080),
            r.heap("api.heap", "256m"),
            r.bool("delivery.enabled", true),
            r.port("delivery.port", 8091),
            r.heap("delivery.heap", "256m"),
            r.port("mail.smtp-port", 3025),
            r.port("mail.web-port", 8025),
            r.port("redis.port", 6390),
            r.text("redis.binary", "redis-server"),
            topicSettings(sources, r),
            r.integer("startup-timeout-seconds", 120, 5, 3600),
            decisionSettings(r),
            analyticsSettings(r));
    config.rejectSharedPorts();
    return config;
  }

  /**
   * The decision settings: {@link DecisionSettings#defaults()} with what the settings change; the
   * checks the record itself makes (a lever of -100 or less, a cap on no channel) name the setting
   * and where it came from too.
   */
  private static DecisionSettings decisionSettings(Reader r) {
    DecisionSettings d = DecisionSettings.defaults();
    try {
      return new DecisionSettings(
          r.integer("decisions.top-k", d.topK(), 1, 1000),
          r.share("decisions.exploration-share", d.explorationShare()),
          r.share("decisions.control-share", d.controlShare()),
          d.priorSuccesses(),
          d.priorFailures(),
          d.contextWeights(),
          r.weights("decisions.levers", d.levers(), Double::parseDouble),
          dailyCaps(r, d),
          r.integer("decisions.weekly-cap", d.weeklyCap(), 0, 10_000),
          d.fallbackOrder(),
          d.sameCauseWindow(),
          r.duration("decisions.notify-hold", d.holdFor()));
    } catch (IllegalArgumentException e) {
      throw r.refused(e, "decisions.");
    }
  }

  /**
   * What counts as a conversion and over what time ({@link AnalyticsSettings#defaults()} with what
   * the settings change), refused with the record's own checks, each setting named with where it
   * came from.
   */
  private static AnalyticsSettings analyticsSettings(Reader r) {
    AnalyticsSettings d = AnalyticsSettings.defaults();
    try {
      return new AnalyticsSettings(
          new TreeSet<>(
              List.of(
                  r.text("analytics.goals", String.join(",", new TreeSet<>(d.goals())))
                      .split("\\s*,\\s*"))),
          r.duration("analytics.lookback", d.lookback()),
          r.duration("analytics.half-life", d.halfLife()),
          r.duration("analytics.conversion-window", d.conversionWindow()));
    } catch (IllegalArgumentException e) {
      throw r.refused(e, "analytics.");
    }
  }

  /**
   * The stream jobs' tuning: {@link JobTuning#defaults()} with what the settings change, refused
   * with the record's own checks (the stream jobs make the same ones), each setting named with
   * where it came from.
   */
  private static JobTuning jobTuning(Reader r) {
    JobTuning d = JobTuning.defaults();
    try {
      return new JobTuning(
          r.duration("jobs.checkpoint-interval", d.checkpointInterval()),
          r.integer("jobs.parallelism", d.parallelism(), 1, 1024),
          r.duration("jobs.out-of-orderness", d.outOfOrderness()),
          r.duration("jobs.idle-after", d.idleAfter()),
          r.duration("jobs.redis-max-delay", d.redisMaxDelay()),
          r.duration("jobs.profile-ttl", d.profileTimeToLive()));
    } catch (IllegalArgumentException e) {
      throw r.refused(e, "jobs.");
    }
  }

  /** Caps named, or the defaults: the stream jobs' flag cannot say "no channel is capped". */
  private static Map<String, Integer> dailyCaps(Reader r, DecisionSettings defaults) {
    Map<String, Integer> caps =
        r.weights("decisions.daily-caps", defaults.dailyCaps(), Integer::parseInt);
    if (caps.isEmpty()) {
      throw new ConfigException(
          "decisions.daily-caps ("
              + r.sources().originOf("decisions.daily-caps")
              + ") must name at least one channel, e.g. sms=1,push=2,email=2");
    }
    return caps;
  }

  private static TopicSettings topicSettings(SettingSources sources, Reader r) {
    Map<String, String> names = new HashMap<>();
    Map<String, Integer> partitions = new HashMap<>();
    Set<String> ids = TopicCatalog.ids();
    for (String key : sources.all().keySet()) {
      if (!key.startsWith(OVERRIDES)) {
        continue;
      }
      String rest = key.substring(OVERRIDES.length());
      int dot = rest.lastIndexOf('.');
      String id = dot < 0 ? rest : rest.substring(0, dot);
      String field = dot < 0 ? "" : rest.substring(dot + 1);
      if (!ids.contains(id)) {
        throw new ConfigException(
            "unknown topic '"
                + id
                + "' in "
                + key
                + " ("
                + sources.originOf(key)
                + "); topics are "
                + ids);
      }
      switch (field) {
        case "name" -> names.put(id, r.text(key, id));
        case "partitions" -> partitions.put(id, r.integer(key, 1, 1, 10_000));
        default ->
            throw new ConfigException(
                key
                    + " ("
                    + sources.originOf(key)
                    + "): a topic override has 'name' and 'partitions'");
      }
    }
    int defaultPartitions = r.integer("topics.partitions", 4, 1, 10_000);
    short replicationFactor = (short) r.integer("topics.replication-factor", 1, 1, 32);
    try {
      return new TopicSettings(defaultPartitions, replicationFactor, names, partitions);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("topics.overrides: " + e.getMessage());
    }
  }

  private static void rejectUnknownKeys(SettingSources sources) {
    Set<String> known = new HashSet<>(KEYS);
    Set<String> unknown = new TreeSet<>();
    for (String key : sources.all().keySet()) {
      if (!known.contains(key) && !key.startsWith(OVERRIDES)) {
        unknown.add(key + " (" + sources.originOf(key) + ")");
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown settings " + unknown + "; known settings are " + KEYS);
    }
  }

  private void rejectSharedPorts() {
    Map<Integer, String> used = new HashMap<>();
    for (Map.Entry<String, Integer> port :
        Map.ofEntries(
                Map.entry("kafka.port", kafkaPort),
                Map.entry("kafka.controller-port", controllerPort),
                Map.entry("registry.port", registryPort),
                Map.entry("ingestion.port", ingestionPort),
                Map.entry("jobs.rest-port", jobsRestPort),
                Map.entry("jobs.rpc-port", jobsRpcPort),
                Map.entry("api.port", apiPort),
                Map.entry("delivery.port", deliveryPort),
                Map.entry("mail.smtp-port", mailSmtpPort),
                Map.entry("mail.web-port", mailWebPort),
                Map.entry("redis.port", redisPort))
            .entrySet()) {
      String other = used.putIfAbsent(port.getValue(), port.getKey());
      if (other != null) {
        throw new ConfigException(
            port.getKey()
                + " and "
                + other
                + " are both "
                + port.getValue()
                + "; give each its own port");
      }
    }
  }

  /** Typed access to raw settings with defaults and range checks. */
  private record Reader(SettingSources sources) {
    /**
     * A record's refusal of settings under {@code prefix}, each named setting followed by where it
     * came from.
     */
    ConfigException refused(IllegalArgumentException e, String prefix) {
      String problems = e.getMessage();
      for (String key : KEYS) {
        if (key.startsWith(prefix) && problems.contains(key)) {
          problems = problems.replace(key, key + " (" + sources.originOf(key) + ")");
        }
      }
      return new ConfigException(problems);
    }

    String text(String key, String fallback) {
      String value = sources.get(key).orElse(fallback).trim();
      if (value.isEmpty()) {
        throw new ConfigException(key + " (" + sources.originOf(key) + ") must not be empty");
      }
      return value;
    }

    int integer(String key, int fallback, int min, int max) {
      String value = sources.get(key).orElse(Integer.toString(fallback)).trim();
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ConfigException(
          key
              + " ("
              + sources.originOf(key)
              + ") must be a whole number from "
              + min
              + " to "
              + max
              + ", was '"
              + value
              + "'");
    }

    /** One of {@code allowed}, compared without case. */
    String choice(String key, String fallback, List<String> allowed) {
      String value = text(key, fallback).toLowerCase(java.util.Locale.ROOT);
      if (allowed.contains(value)) {
        return value;
      }
      throw new ConfigException(
          key
              + " ("
              + sources.originOf(key)
              + ") must be one of "
              + String.join(", ", allowed)
              + ", was '"
              + value
              + "'");
    }

    boolean bool(String key, boolean fallback) {
      String value = sources.get(key).orElse(Boolean.toString(fallback)).trim();
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new ConfigException(
          key + " (" + sources.originOf(key) + ") must be true or false, was '" + value + "'");
    }

    double share(String key, double fallback) {
      String value = sources.get(key).orElse(Double.toString(fallback)).trim();
      try {
        double share = Double.parseDouble(value);
        if (share >= 0 && share <= 1) {
          return share;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ConfigException(
          key
              + " ("
              + sources.originOf(key)
              + ") must be a share from 0 to 1, was '"
              + value
              + "'");
    }

    /** {@code NAME=number,...}, e.g. {@code sms=1,push=2}; the fallback when not set. */
    <N> Map<String, N> weights(
        String key, Map<String, N> fallback, java.util.function.Function<String, N> number) {
      if (sources.get(key).isEmpty()) {
        return fallback;
      }
      String value = sources.get(key).get().trim();
      Map<String, N> weights = new LinkedHashMap<>();
      for (String entry : value.isEmpty() ? new String[0] : value.split(",")) {
        int eq = entry.indexOf('=');
        try {
          if (eq < 1) {
            throw new NumberFormatException();
          }
          weights.put(entry.substring(0, eq).trim(), number.apply(entry.substring(eq + 1).trim()));
        } catch (NumberFormatException e) {
          throw new ConfigException(
              key
                  + " ("
                  + sources.originOf(key)
                  + ") must be NAME=number pairs separated by commas, e.g. sms=1,push=2; '"
                  + entry.trim()
                  + "' is not one");
        }
      }
      return weights;
    }

    Duration duration(String key, Duration fallback) {
      String value = sources.get(key).orElse(fallback.toString()).trim();
      try {
        Duration duration = Duration.parse(value);
        if (!duration.isNegative()) {
          return duration;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw new ConfigException(
          key
              + " ("
              + sources.originOf(key)
              + ") must be an ISO-8601 duration of 0 or more such as PT5S, was '"
              + value
              + "'");
    }

    int port(String key, int fallback) {
      return integer(key, fallback, 1, 65_535);
    }

    String heap(String key, String fallback) {
      String value = text(key, fallback);
      if (!value.matches("\\d+[mMgG]")) {
        throw new ConfigException(
            key
                + " ("
                + sources.originOf(key)
                + ") must be a size like 512m or 1g, was '"
                + value
                + "'");
      }
      return value;
    }
  }
}
