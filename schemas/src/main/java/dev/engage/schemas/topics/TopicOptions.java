package dev.engage.schemas.topics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The {@link TopicSettings} as command-line options, the one form in which every service takes them
 * ({@code @Mixin TopicOptions}) and the launcher hands them down ({@link #flags}): default
 * partitions and replication factor, and per topic id another name ({@code --topic-name
 * triggers=prod.triggers}) or partition count ({@code --topic-partitions rules=1}).
 */
public final class TopicOptions {
  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of a topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description = "Replication factor of a topic (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Option(
      names = "--topic-name",
      split = ",",
      paramLabel = "ID=NAME",
      description =
          "The name of a topic, by its id, e.g. triggers=prod.triggers (default: its id).")
  Map<String, String> names = new LinkedHashMap<>();

  @Option(
      names = "--topic-partitions",
      split = ",",
      paramLabel = "ID=N",
      description = "The partitions of a topic, by its id, e.g. rules=1.")
  Map<String, Integer> partitionsById = new LinkedHashMap<>();

  /** The settings the options describe; {@link IllegalArgumentException} names a bad one. */
  public TopicSettings settings() {
    return new TopicSettings(partitions, replicationFactor, names, partitionsById);
  }

  /** The options that give a service these settings, in a stable order. */
  public static List<String> flags(TopicSettings settings) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--partitions",
                Integer.toString(settings.partitions()),
                "--replication-factor",
                Short.toString(settings.replicationFactor())));
    new TreeMap<>(settings.names())
        .forEach((id, name) -> flags.addAll(List.of("--topic-name", id + "=" + name)));
    new TreeMap<>(settings.partitionsById())
        .forEach((id, n) -> flags.addAll(List.of("--topic-partitions", id + "=" + n)));
    return flags;
  }
}
