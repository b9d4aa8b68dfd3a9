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
 * A Kafka node in KRaft mode (broker and controller in one process), run from the Maven jars in the
 * process that calls {@link #run}: on its own (the local stack), or one of several nodes that form
 * a quorum ({@link Quorum}). Data lives under {@code <dir>/data}; the storage is formatted once, so
 * a restart finds its topics and offsets again.
 */
public final class KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final Path dir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private final int defaultPartitions;
  private final Quorum quorum;

  /**
   * The nodes of a cluster: this node's id, every controller as {@code id@host:port}, and the
   * cluster id all of them are formatted with (null: a new random one, for a single node).
   */
  public record Quorum(int nodeId, String voters, String clusterId) {
    /** How many nodes there are, so how many replicas the internal topics can have (up to 3). */
    int size() {
      return voters.split(",").length;
    }
  }

  /** A single node, its own quorum. */
  public KafkaBroker(Path dir, String host, int port, int controllerPort, int defaultPartitions) {
    this(
        dir,
        host,
        port,
        controllerPort,
        defaultPartitions,
        new Quorum(1, "1@" + host + ":" + controllerPort, null));
  }

  public KafkaBroker(
      Path dir, String host, int port, int controllerPort, int defaultPartitions, Quorum quorum) {
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
    this.defaultPartitions = defaultPartitions;
    this.quorum = quorum;
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
    p.put("node.id", Integer.toString(quorum.nodeId()));
    p.put("controller.quorum.voters", quorum.voters());
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir().toString());
    p.put("num.partitions", Integer.toString(defaultPartitions));
    // Internal topics: one replica per node up to three, and with three a write needs two.
    String replicas = Integer.toString(Math.min(3, quorum.size()));
    String minInSync = Integer.toString(Math.max(1, Math.min(3, quorum.size()) - 1));
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minInSync);
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minInSync);
    // Topics are created by engage up from the catalog; a typo must not create a new one.
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Restarted after a crash, a broker may register again only once the controller has given up
    // on its previous incarnation, and in a quorum a dead leader's partitions move only then: 9 s
    // by default, which every restart of the local stack's broker would wait out. Heartbeats
    // between processes on one machine do not get lost; 6 s still rides out a stall of a loaded
    // 2-core machine (a broker stalled longer is fenced, and comes back with its next heartbeat).
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("broker.session.timeout.ms", "6000");
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
    String clusterId =
        quorum.clusterId() != null ? quorum.clusterId() : Uuid.randomUuid().toString();
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
