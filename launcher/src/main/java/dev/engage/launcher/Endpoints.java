package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalApiKeys;
import dev.engage.launcher.stack.LocalDelivery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints where to reach the local stack once it is up. */
final class Endpoints {
  private Endpoints() {}

  static void print(StackConfig config, PrintWriter out) {
    out.println(
        "  Kafka            "
            + config.bootstrapServers()
            + "   (kcat -b "
            + config.bootstrapServers()
            + " -L)");
    out.println(
        "  Schema registry  "
            + config.registryUrl()
            + "   (curl "
            + config.registryUrl()
            + "/subjects)");
    out.println(
        "  Redis            127.0.0.1:"
            + config.redisPort()
            + "   (redis-cli -p "
            + config.redisPort()
            + " ping)");
    if (config.ingestionEnabled()) {
      out.println(
          "  Collector        "
              + config.collectorUrl()
              + "   (Segment API: POST /v1/track, /v1/batch ...)");
      out.println(
          "  Write keys       " + config.dataDir().resolve("ingestion").resolve("ingestion.yaml"));
    }
    if (config.jobsEnabled()) {
      out.println(
          "  Flink            http://localhost:"
              + config.jobsRestPort()
              + "/jobs/overview   (REST)");
    }
    if (config.apiEnabled()) {
      out.println(
          "  API              "
              + config.apiUrl()
              + "   (agent console "
              + config.apiUrl()
              + "/console, rule studio /studio)");
      printApiKeys(config, out);
    }
    if (config.deliveryEnabled()) {
      out.println(
          "  Mailbox          "
              + config.mailboxUrl()
              + "   (what was sent: email caught on SMTP port "
              + config.mailSmtpPort()
              + ", SMS and push)");
      out.println(
          "  Delivery         "
              + config.deliveryUrl()
              + "/metrics   (providers in "
              + LocalDelivery.configFile(config)
              + ")");
    }
    out.println("  Data             " + config.dataDir());
    out.println("  Logs             " + config.logDir() + "/<service>.log");
  }

  private static void printApiKeys(StackConfig config, PrintWriter out) {
    Path file = LocalApiKeys.file(config);
    try {
      LocalApiKeys.byRole(file)
          .forEach((role, key) -> out.printf("    %-14s %s%n", role + " key", key));
      out.println("    (keys in " + file + ")");
      out.println(
          "    (an app reads its own customer only, with the token that"
              + " POST /v1/customers/{id}/token gives the service key)");
    } catch (IOException e) {
      out.println("  API keys         " + file + " (unreadable: " + e.getMessage() + ")");
    }
  }
}
