package dev.engage.jobs;

import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.jobs.redis.RedisClients;
import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.jobs.Checkpoints;
import dev.engage.schemas.jobs.JobTuning;
import dev.engage.schemas.jobs.JobTuningOptions;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Flink application's entry point: runs {@link EngageApplication} on the topics its {@link
 * TopicOptions} name (the launcher hands down the stack's), with the settings its flags describe,
 * checked in {@link #settings()} before anything starts.
 *
 * <p>Started by {@code engage up} on a local MiniCluster with RocksDB state and incremental
 * checkpoints kept on cancellation, it resumes from the newest checkpoint in its checkpoint
 * directory, so timers and windows survive a restart. On a cluster, submit the same jar with {@code
 * flink run} (the job jar, {@link ClusterJobMain}); the cluster's configuration then decides state
 * backend and checkpoints.
 */
@Command(
    name = "stream-jobs",
    mixinStandardHelpOptions = true,
    description = "Engage's Flink application.")
public final class StreamJobsMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamJobsMain.class);

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(
      names = "--checkpoint-dir",
      description = "Local runs: where checkpoints go (default: none, cluster config).")
  Path checkpointDir;

  @Option(
      names = "--rest-port",
      defaultValue = "8082",
      description = "Local runs: Flink REST port (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(
      names = "--redis-uri",
      defaultValue = "redis://localhost:6390",
      description =
          "Redis the profiles are written to (default: ${DEFAULT-VALUE}); a Redis Cluster as"
              + " redis-cluster://host:port,host:port,... (any of its nodes as seeds).")
  URI redisUri;

  @Option(
      names = "--delay-bands",
      split = ",",
      defaultValue = "30,60,120,180,240,360,480,720",
      description =
          "Delay bands in minutes; passengers hear again when a delay enters a higher one"
              + " (default: ${DEFAULT-VALUE}).")
  List<Integer> delayBands;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "Next-best-actions kept per customer (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--exploration-share",
      defaultValue = "0.1",
      description =
          "Share of decisions ranked by Thompson sampling instead of the posterior mean"
              + " (default: ${DEFAULT-VALUE}).")
  double explorationShare;

  @Option(
      names = "--control-share",
      defaultValue = "0.05",
      description =
          "Share of customers in the control group, sent no marketing (default: ${DEFAULT-VALUE}).")
  double controlShare;

  @Option(
      names = "--levers",
      split = ",",
      description =
          "Business levers by action code, each a weight w for a factor 1 + w/100, e.g."
              + " GOLD_CARD=20,APP_TOUR=-50 (default: none).")
  Map<String, Double> levers = new HashMap<>();

  @Option(
      names = "--daily-caps",
      split = ",",
      defaultValue = "sms=1,push=2,email=2",
      description =
          "Marketing notifications per channel per day in the customer's time zone"
              + " (default: ${DEFAULT-VALUE}).")
  Map<String, Integer> dailyCaps;

  @Option(
      names = "--weekly-cap",
      defaultValue = "7",
      description =
          "Marketing notifications across channels per week in the customer's time zone"
              + " (default: ${DEFAULT-VALUE}).")
  int weeklyCap;

  @Option(
      names = "--notify-hold",
      defaultValue = "PT5S",
      description =
          "How long a new notification waits for others of the customer before it is decided"
              + " (default: ${DEFAULT-VALUE}).")
  Duration notifyHold;

  @Option(
      names = "--goals",
      split = ",",
      defaultValue = "purchase,order_completed",
      description =
          "Touchpoint types that are conversions, for attribution and the campaign figures"
              + " (default: ${DEFAULT-VALUE}).")
  Set<String> goals;

  @Option(
      names = "--attribution-lookback",
      defaultValue = "P30D",
      description =
          "How long before a conversion a touch is still credited with it (default:"
              + " ${DEFAULT-VALUE}).")
  Duration attributionLookback;

  @Option(
      names = "--attribution-half-life",
      defaultValue = "P7D",
      description = "The time decay attribution model's half-life (default: ${DEFAULT-VALUE}).")
  Duration attributionHalfLife;

  @Option(
      names = "--conversion-window",
      defaultValue = "P7D",
      description =
          "How long after a campaign reached a customer a conversion counts for it (default:"
              + " ${DEFAULT-VALUE}).")
  Duration conversionWindow;

  @Mixin JobTuningOptions tuning;

  @Mixin TopicOptions topics;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamJobsMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    StreamJobsSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("stream-jobs: " + e.getMessage());
      return 2;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(localConfiguration(settings));
    JobTuning tuning = settings.application().tuning();
    env.setParallelism(tuning.parallelism());
    env.enableCheckpointing(tuning.checkpointInterval().toMillis());
    env.getConfig().setAutoWatermarkInterval(100);
    TopicCatalog topics =
        new TopicCatalog(settings.topics(), new SchemaRegistryClient(settings.registryUrl()));
    EngageApplication.wire(
        env,
        new KafkaEndpoints(
            settings.bootstrapServers(), settings.registryUrl(), topics.jobsDlq().name()),
        topics,
        settings.application());
    env.execute("engage");
    return 0;
  }

  /** The settings the flags describe; {@link IllegalArgumentException} names each bad one. */
  StreamJobsSettings settings() {
    if (RedisClients.CLUSTER_SCHEME.equals(redisUri.getScheme())) {
      RedisClients.seeds(redisUri); // refuses a seed that is not host:port
    }
    return new StreamJobsSettings(
        bootstrapServers,
        registryUrl,
        Optional.ofNullable(checkpointDir),
        restPort,
        topics.settings(),
        new ApplicationSettings(
            "engage-stream-jobs",
            tuning.settings(),
            new DisruptionSeverity(delayBands),
            redisUri,
            decisionSettings(),
            new AnalyticsSettings(
                goals, attributionLookback, attributionHalfLife, conversionWindow)));
  }

  /** The decision settings: the defaults, with what the flags set; refused when invalid. */
  DecisionSettings decisionSettings() {
    DecisionSettings d = DecisionSettings.defaults();
    return new DecisionSettings(
        topK,
        explorationShare,
        controlShare,
        d.priorSuccesses(),
        d.priorFailures(),
        d.contextWeights(),
        levers,
        dailyCaps,
        weeklyCap,
        d.fallbackOrder(),
        d.sameCauseWindow(),
        notifyHold);
  }

  /** RocksDB, incremental checkpoints kept on cancel, and a resume from the newest one. */
  private static Configuration localConfiguration(StreamJobsSettings settings) throws IOException {
    Configuration conf = new Configuration();
    if (settings.checkpointDir().isEmpty()) {
      return conf;
    }
    Path checkpointDir = settings.checkpointDir().get();
    Files.createDirectories(checkpointDir);
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CoreOptions.TMP_DIRS, checkpointDir.resolveSibling("tmp").toString());
    conf.set(RestOptions.PORT, settings.restPort());
    Checkpoints.newest(checkpointDir)
        .ifPresent(
            checkpoint -> {
              LOG.info("Resuming from checkpoint {}", checkpoint);
              conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
            });
    return conf;
  }
}
