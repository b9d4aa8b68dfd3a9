package dev.engage.launcher;

import dev.engage.launcher.config.ConfigException;
import dev.engage.launcher.stack.ServiceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code engage} command line: runs and stops the local stack, and hosts its services. */
@Command(
    name = "engage",
    mixinStandardHelpOptions = true,
    version = "engage 0.1.0",
    description = "Engage: real-time customer engagement on Kafka, Flink and Redis.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      TopicsCommand.class,
      IngestCommand.class,
      GenerateCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      RulesCommand.class,
      RebuildRedisCommand.class,
      ValueCommand.class,
      ServiceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class EngageCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling, for main and for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new EngageCli())
        .setExecutionExceptionHandler(
            (e, cmd, parseResult) -> {
              if (e instanceof ConfigException) {
                cmd.getErr().println("engage: configuration error: " + e.getMessage());
                return 2;
              }
              if (e instanceof ServiceException) {
                cmd.getErr().println("engage: " + e.getMessage());
                return 1;
              }
              throw e;
            });
  }
}
