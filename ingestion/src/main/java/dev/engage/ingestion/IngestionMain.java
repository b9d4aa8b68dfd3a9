package dev.engage.ingestion;

import dev.engage.schemas.topics.TopicOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the ingestion service until the process is stopped. Started by {@code engage up}. */
@Command(
    name = "ingestion",
    mixinStandardHelpOptions = true,
    description = "Engage collector and normalizer.")
public final class IngestionMain implements Callable<Integer> {
  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Collector address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8090",
      description = "Collector port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(
      names = "--config",
      required = true,
      description = "YAML file with the sources (write keys) and, optionally, identity namespaces.")
  Path config;

  @Option(
      names = "--state-dir",
      required = true,
      description = "Where the normalizer keeps its RocksDB state.")
  Path stateDir;

  @Option(
      names = "--dedupe-window",
      defaultValue = "PT24H",
      description = "ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration dedupeWindow;

  @Option(
      names = "--max-future-skew",
      defaultValue = "PT1H",
      description = "ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration maxFutureSkew;

  @Option(
      names = "--normalizer-threads",
      defaultValue = "2",
      description =
          "Stream threads of the normalizer, each with partitions of touchpoints.raw of its own"
              + " (default: ${DEFAULT-VALUE}).")
  int normalizerThreads;

  @Mixin TopicOptions topics;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestionMain()).execute(args));
  }

  /** The settings the options describe; {@link IllegalArgumentException} names a bad one. */
  IngestionService.Settings settings() {
    return new IngestionService.Settings(
        host,
        port,
        bootstrapServers,
        registryUrl,
        config,
        stateDir,
        dedupeWindow,
        maxFutureSkew,
        normalizerThreads,
        topics.settings());
  }

  @Override
  public Integer call() throws InterruptedException {
    IngestionService.Settings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      System.err.println("ingestion: " + e.getMessage());
      return 2;
    }
    IngestionService service = IngestionService.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "ingestion-stop"));
    stopped.await();
    return 0;
  }
}
