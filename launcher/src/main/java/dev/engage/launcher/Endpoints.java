package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import java.io.PrintWriter;

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
    out.println("  Data             " + config.dataDir());
    out.println("  Logs             " + config.logDir() + "/<service>.log");
  }
}
