package dev.engage.api;

import dev.engage.api.auth.ApiKeys;
import dev.engage.api.auth.StreamTokens;
import dev.engage.api.receipts.ReceiptProviders;
import dev.engage.api.redis.RedisSettings;
import dev.engage.schemas.signing.SecretFiles;
import dev.engage.schemas.topics.TopicOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the serving API until the process is stopped. Started by {@code engage up}. */
@Command(
    name = "serving-api",
    mixinStandardHelpOptions = true,
    description = "Engage serving API: customers, next-best-actions, rules, live updates.")
public final class ServingApiMain implements Callable<Integer> {
  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--redis-uri",
      defaultValue = "redis://localhost:6390",
      description =
          "Redis URI (default: ${DEFAULT-VALUE}); with --redis-cluster, seed URIs separated by"
              + " commas.")
  String redisUri;

  @Option(names = "--redis-cluster", description = "Redis is a Redis Cluster.")
  boolean redisCluster;

  @Option(
      names = "--redis-pool-size",
      defaultValue = "32",
      description = "Redis connections at most, per node (default: ${DEFAULT-VALUE}).")
  int redisPoolSize;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--registry-url",
      defaultValue = "http://localhost:8081",
      description = "Schema registry (default: ${DEFAULT-VALUE}).")
  String registryUrl;

  @Option(
      names = "--api-keys",
      required = true,
      description = "YAML file with the API keys and their roles (see serving-api/README.md).")
  Path apiKeys;

  @Option(
      names = "--cors-origins",
      split = ",",
      description = "Origins browser pages may call the API from (default: none).")
  List<String> corsOrigins = new ArrayList<>();

  @Option(
      names = "--rate-limit",
      defaultValue = "50",
      description =
          "Requests per second per key, unless the key sets its own (default: ${DEFAULT-VALUE}).")
  double rateLimit;

  @Option(
      names = "--max-body",
      defaultValue = "65536",
      description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(
      names = "--stream-token-secret-file",
      description =
          "File holding the secret (32 bytes or more) that signs stream tokens; give every"
              + " instance behind a load balancer the same one. Default: a secret drawn at"
              + " start-up, valid on this instance only.")
  Path streamTokenSecretFile;

  @Option(
      names = "--receipt-secrets",
      description =
          "YAML file with the delivery providers whose signed reports POST"
              + " /v1/receipts/{provider} takes: providers: [{name, channel, secret}]"
              + " (see serving-api/README.md). Default: none.")
  Path receiptSecrets;

  @Option(
      names = "--unsubscribe-secret-file",
      description =
          "File holding the secret (32 bytes or more) delivery signs one-click unsubscribe links"
              + " with; the same file as delivery's. Default: none, unsubscribe links answer 404.")
  Path unsubscribeSecretFile;

  @Mixin TopicOptions topics;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServingApiMain()).execute(args));
  }

  /** The settings the options describe; {@link IllegalArgumentException} names a bad one. */
  ApiSettings settings() {
    return new ApiSettings(
        host,
        port,
        RedisSettings.of(redisUri, redisCluster, redisPoolSize),
        bootstrapServers,
        registryUrl,
        ApiKeys.load(apiKeys),
        corsOrigins,
        rateLimit,
        maxBody,
        topics.settings(),
        streamTokenSecretFile == null ? null : StreamTokens.readSecret(streamTokenSecretFile),
        receiptSecrets == null ? ReceiptProviders.none() : ReceiptProviders.load(receiptSecrets),
        unsubscribeSecretFile == null
            ? null
            : SecretFiles.read(unsubscribeSecretFile, "--unsubscribe-secret-file"));
  }

  @Override
  public Integer call() throws InterruptedException {
    ApiSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      System.err.println("serving-api: " + e.getMessage());
      return 2;
    }
    ServingApi api = ServingApi.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  stopped.countDown();
                },
                "serving-api-stop"));
    stopped.await();
    return 0;
  }
}
