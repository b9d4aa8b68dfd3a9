package dev.engage.delivery;

import dev.engage.delivery.config.DeliveryConfig;
import dev.engage.delivery.config.Durations;
import dev.engage.schemas.signing.SecretFiles;
import dev.engage.schemas.topics.TopicOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the delivery service until the process is stopped. Started by {@code engage up}. */
@Command(
    name = "delivery",
    mixinStandardHelpOptions = true,
    description = "Engage delivery: email, SMS and push webhooks, the in-app inbox, each once.")
public final class DeliveryMain implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Operator port address.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8091",
      description = "Operator port: /health and /metrics (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(names = "--redis-uri", defaultValue = "redis://localhost:6390")
  String redisUri;

  @Option(
      names = "--config",
      required = true,
      description = "The delivery file: providers, retries, breaker (see delivery/README.md).")
  Path config;

  @Option(
      names = "--unsubscribe-secret-file",
      required = true,
      description =
          "File holding the secret (32 bytes or more) that signs one-click unsubscribe links; the"
              + " API verifies them with the same file.")
  Path unsubscribeSecretFile;

  @Option(
      names = "--ledger-ttl",
      defaultValue = "8d",
      description =
          "How long a sent notification is remembered; must outlast the notifications topic's"
              + " retention (default: ${DEFAULT-VALUE}).")
  String ledgerTtl;

  @Option(
      names = "--lease",
      defaultValue = "30s",
      description =
          "How long a worker holds notifications it took; after a crash they come back when it"
              + " ends (default: ${DEFAULT-VALUE}).")
  String lease;

  @Mixin TopicOptions topics;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DeliveryMain()).execute(args));
  }

  DeliverySettings settings() {
    return new DeliverySettings(
        host,
        port,
        bootstrapServers,
        registryUrl,
        URI.create(redisUri),
        DeliveryConfig.load(config),
        SecretFiles.read(unsubscribeSecretFile, "--unsubscribe-secret-file"),
        Durations.parse("--ledger-ttl", ledgerTtl),
        Durations.parse("--lease", lease),
        topics.settings());
  }

  @Override
  public Integer call() throws InterruptedException {
    DeliverySettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      System.err.println("delivery: " + e.getMessage());
      return 2;
    }
    DeliveryService service = DeliveryService.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "delivery-stop"));
    stopped.await();
    return 0;
  }
}
