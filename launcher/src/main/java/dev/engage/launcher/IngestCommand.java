package dev.engage.launcher;

import dev.engage.launcher.config.ConfigException;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.ingest.PosImport;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code engage ingest ...}: bring files into Engage. */
@Command(name = "ingest", description = "Ingest files.", subcommands = IngestCommand.Pos.class)
final class IngestCommand {

  /** {@code engage ingest pos FILE}. */
  @Command(
      name = "pos",
      description = {
        "Ingest a point-of-sale export (CSV or JSON lines) through the collector.",
        "Bad lines are reported with their line numbers and sent to touchpoints.dlq;",
        "exit code 3 when there were any. Importing a file again is safe (deduplicated)."
      })
  static final class Pos implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(
        paramLabel = "FILE",
        description = "Receipts: .csv (one row per item) or .jsonl (one receipt per line).")
    Path file;

    @Option(
        names = "--write-key",
        description = "Write key of the source (default: the local stack's store-pos key).")
    String writeKey;

    @Option(
        names = "--source",
        defaultValue = "store-pos",
        description = "Source whose key to use (default: ${DEFAULT-VALUE}).")
    String source;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      StackConfig config = options.load();
      if (!Files.isReadable(file)) {
        throw new ConfigException(file + " does not exist or cannot be read");
      }
      String key = writeKey != null ? writeKey : LocalWriteKeys.of(config, source);
      TopicCatalog topics =
          new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
      return PosImport.run(
          URI.create(config.collectorUrl()),
          config.bootstrapServers(),
          topics,
          file,
          key,
          spec.commandLine().getOut());
    }
  }
}
