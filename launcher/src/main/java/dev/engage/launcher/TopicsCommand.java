package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.TopicCreator;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code engage topics create}: creates every topic of the catalog on the configured Kafka cluster
 * (the local one, or any other through kafka.host and kafka.port), as engage up does.
 */
@Command(
    name = "topics",
    description = "Manage Engage's Kafka topics.",
    subcommands = TopicsCommand.Create.class)
final class TopicsCommand {

  /** Creates missing topics and fixes cleanup policies and partition counts. */
  @Command(
      name = "create",
      description = "Create every Engage topic on the configured Kafka cluster.")
  static final class Create implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      StackConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      TopicCatalog catalog =
          new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
      TopicCreator.Outcome outcome = TopicCreator.ensure(config.bootstrapServers(), catalog);
      for (Topic<?, ?> topic : catalog.all()) {
        out.printf(
            "  %-18s %2d partitions  %-7s %s%n",
            topic.name(),
            topic.partitions(),
            topic.cleanup().kafkaName(),
            outcome.created().contains(topic.name()) ? "created" : "exists");
      }
      outcome.changed().forEach(change -> out.println("  changed " + change));
      out.printf("engage: %d topics ready on %s%n", outcome.total(), config.bootstrapServers());
      return 0;
    }
  }
}
