package dev.engage.launcher.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), run from the
 * Maven jars in the process that calls {@link #run}. Data lives under {@code <dir>/data}; the
 * storage is formatted once, so a restart finds its topics and offsets again.
 */
public final class KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final Path dir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private final int defaultPartitions;

  public KafkaBroker(Path dir, String host, int port, int controllerPort, int defaultPartitions) {
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
    this.defaultPartitions = defaultPartitions;
  }

  /** Formats the storage if it is new, then runs the broker until the process is stopped. */
  public void run() throws IOException {
    Path config = writeServerProperties();
    if (!Files.exists(dataDir().resolve("meta.properties"))) {
      format(config);
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Properties serverProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir().toString());
    p.put("num.partitions", Integer.toString(defaultPartitions));
    // One node: every internal topic has a single replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Topics are created by engage up from the catalog; a typo must not create a new one.
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.hours", "168");
    return p;
  }

  private Path writeServerProperties() throws IOException {
    Files.createDirectories(dataDir());
    Path file = dir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      serverProperties().store(out, "written by engage at every start; edit engage.yaml instead");
    }
    return file;
  }

  private void format(Path config) {
    String clusterId = Uuid.randomUuid().toString();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code =
          StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", config.toString()}, out);
    }
    String said = output.toString(StandardCharsets.UTF_8).trim();
    if (code != 0) {
      throw new IllegalStateException(
          "formatting Kafka storage in " + dataDir() + " failed: " + said);
    }
    LOG.info("Formatted new Kafka storage (cluster {}): {}", clusterId, said);
  }
}
