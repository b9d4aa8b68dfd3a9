package dev.engage.launcher;

import dev.engage.launcher.flink.FlinkRest;
import dev.engage.launcher.flink.JobSubmitter;
import dev.engage.launcher.kafka.KafkaBroker;
import dev.engage.launcher.mailbox.LocalMailbox;
import dev.engage.schemas.registry.server.CompatibilityLevel;
import dev.engage.schemas.registry.server.RegistrySettings;
import dev.engage.schemas.registry.server.SchemaRegistryServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code engage service ...}: runs one service of the local stack in this process. {@code engage
 * up} starts each service this way as its own child process; not meant to be typed by hand.
 */
@Command(
    name = "service",
    hidden = true,
    description = "Run one service of the local stack in this process (used by engage up).",
    subcommands = {
      ServiceCommand.Kafka.class,
      ServiceCommand.Registry.class,
      ServiceCommand.Mailbox.class,
      ServiceCommand.FlinkJob.class
    })
final class ServiceCommand {

  /** A KRaft node: broker and controller, on its own or one of a quorum. */
  @Command(name = "kafka", description = "Run the Kafka broker.")
  static final class Kafka implements Callable<Integer> {
    @Option(names = "--dir", required = true)
    Path dir;

    @Option(names = "--host", defaultValue = "localhost")
    String host;

    @Option(names = "--port", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093")
    int controllerPort;

    @Option(names = "--partitions", defaultValue = "4")
    int partitions;

    @Option(names = "--node-id", defaultValue = "1", description = "This node's id in a quorum.")
    int nodeId;

    @Option(
        names = "--voters",
        description = "Every controller as id@host:port, comma-separated (default: this node).")
    String voters;

    @Option(names = "--cluster-id", description = "Shared by a quorum's nodes (default: random).")
    String clusterId;

    @Override
    public Integer call() throws Exception {
      String quorumVoters = voters != null ? voters : nodeId + "@" + host + ":" + controllerPort;
      KafkaBroker.Quorum quorum = new KafkaBroker.Quorum(nodeId, quorumVoters, clusterId);
      new KafkaBroker(dir, host, port, controllerPort, partitions, quorum).run();
      return 0;
    }
  }

  /** The embedded Confluent-compatible schema registry. */
  @Command(name = "registry", description = "Run the schema registry.")
  static final class Registry implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--port", defaultValue = "8081")
    int port;

    @Option(names = "--bootstrap-servers", required = true)
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "_schemas")
    String topic;

    @Option(names = "--replication-factor", defaultValue = "1")
    short replicationFactor;

    @Option(names = "--compatibility", defaultValue = "BACKWARD")
    CompatibilityLevel compatibility;

    @Override
    public Integer call() throws InterruptedException {
      SchemaRegistryServer server =
          SchemaRegistryServer.start(
              new RegistrySettings(
                  host, port, bootstrapServers, topic, replicationFactor, compatibility));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "registry-stop"));
      stopped.await();
      return 0;
    }
  }

  /** The local mailbox: GreenMail for email, webhook routes for SMS and push, one page. */
  @Command(name = "mailbox", description = "Run the local mailbox.")
  static final class Mailbox implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--smtp-port", defaultValue = "3025")
    int smtpPort;

    @Option(names = "--web-port", defaultValue = "8025")
    int webPort;

    @Option(names = "--webhook-secret-file", required = true)
    Path webhookSecretFile;

    @Override
    public Integer call() throws Exception {
      LocalMailbox mailbox =
          LocalMailbox.start(
              host, smtpPort, webPort, java.nio.file.Files.readString(webhookSecretFile).trim());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    mailbox.close();
                    stopped.countDown();
                  },
                  "mailbox-stop"));
      stopped.await();
      return 0;
    }
  }

  /**
   * The stream jobs on a Flink session cluster: submits the job jar over REST and keeps it running
   * ({@link JobSubmitter}). The arguments after {@code --} are the job's own flags.
   */
  @Command(
      name = "flink-job",
      description = "Submit the stream jobs to a Flink cluster and watch them.")
  static final class FlinkJob implements Callable<Integer> {
    @Option(names = "--rest-url", required = true, description = "The JobManager's REST address.")
    String restUrl;

    @Option(names = "--job-jar", required = true)
    Path jobJar;

    @Option(
        names = "--checkpoint-dir",
        required = true,
        description = "Where the cluster retains checkpoints; the newest is restored.")
    Path checkpointDir;

    @Option(names = "--slots", defaultValue = "1", description = "Task slots the job needs.")
    int slots;

    @Parameters(paramLabel = "JOB-FLAG", description = "The stream jobs' flags.")
    List<String> jobArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter log = new PrintWriter(System.out, true);
      return new JobSubmitter(FlinkRest.of(restUrl), jobJar, checkpointDir, slots, jobArgs, log)
          .run();
    }
  }
}
