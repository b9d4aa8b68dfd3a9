package dev.engage.launcher;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that needs the stack's configuration shares. */
final class ConfigOptions {
  static final Path DEFAULT_FILE = Path.of("engage.yaml");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config file (default: ./engage.yaml when it exists).")
  Path configFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the stack keeps its data (default: .engage).")
  String dataDir;

  @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka port (default: 9092).")
  Integer kafkaPort;

  @Option(
      names = "--registry-port",
      paramLabel = "PORT",
      description = "Schema registry port (default: 8081).")
  Integer registryPort;

  @Option(names = "--redis-port", paramLabel = "PORT", description = "Redis port (default: 6390).")
  Integer redisPort;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any setting, e.g. --set topics.partitions=8. Repeatable.")
  List<String> settings = new ArrayList<>();

  /** These options as flags, for a command that runs others on the same stack. */
  List<String> asArgs() {
    List<String> args = new ArrayList<>();
    if (configFile != null) {
      args.addAll(List.of("--config", configFile.toString()));
    }
    if (dataDir != null) {
      args.addAll(List.of("--data-dir", dataDir));
    }
    if (kafkaPort != null) {
      args.addAll(List.of("--kafka-port", kafkaPort.toString()));
    }
    if (registryPort != null) {
      args.addAll(List.of("--registry-port", registryPort.toString()));
    }
    if (redisPort != null) {
      args.addAll(List.of("--redis-port", redisPort.toString()));
    }
    for (String setting : settings) {
      args.addAll(List.of("--set", setting));
    }
    return args;
  }

  /** File, then ENGAGE_* environment variables, then flags; the last one wins. */
  StackConfig load() {
    SettingSources sources = new SettingSources();
    if (configFile != null) {
      sources.withFile(configFile, true);
    } else if (Files.exists(DEFAULT_FILE)) {
      sources.withFile(DEFAULT_FILE, false);
    }
    sources.withEnvironment(System.getenv(), StackConfig.KEYS);
    Map<String, String> flags = new HashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq < 1) {
        throw new dev.engage.launcher.config.ConfigException(
            "--set expects KEY=VALUE, got '" + setting + "'");
      }
      flags.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
    }
    flags.put("data-dir", dataDir);
    flags.put("kafka.port", kafkaPort == null ? null : kafkaPort.toString());
    flags.put("registry.port", registryPort == null ? null : registryPort.toString());
    flags.put("redis.port", redisPort == null ? null : redisPort.toString());
    return StackConfig.from(sources.withFlags(flags));
  }
}
