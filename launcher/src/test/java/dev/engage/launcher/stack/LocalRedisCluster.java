package dev.engage.launcher.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real three-node Redis Cluster of {@code redis-server} processes for tests, each node serving a
 * third of the slots, formed with CLUSTER ADDSLOTSRANGE and MEET (what {@code redis-cli --cluster
 * create} does, without replicas).
 */
public final class LocalRedisCluster implements AutoCloseable {
  public static final int NODES = 3;
  private static final int SLOTS = 16384;
  private static final int SLOTS_PER_NODE = SLOTS / NODES + 1;

  private final List<Process> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Integer> busPorts = new ArrayList<>();

  private LocalRedisCluster() {}

  /** Starts the nodes with {@code redisBinary}, their files under {@code dir}, and forms them. */
  public static LocalRedisCluster start(String redisBinary, Path dir) throws Exception {
    LocalRedisCluster cluster = new LocalRedisCluster();
    for (int i = 0; i < NODES; i++) {
      int port = SharedStack.freePort();
      // by default the bus listens on port + 10000, which is out of range for high free ports
      int busPort = SharedStack.freePort();
      cluster.ports.add(port);
      cluster.busPorts.add(busPort);
      cluster.nodes.add(
          new ProcessBuilder(
                  redisBinary,
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--cluster-enabled",
                  "yes",
                  "--cluster-port",
                  Integer.toString(busPort),
                  "--cluster-config-file",
                  "nodes-" + port + ".conf",
                  "--dir",
                  dir.toString(),
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
              .redirectErrorStream(true)
              .start());
    }
    cluster.form();
    return cluster;
  }

  /** Every node as {@code <scheme-and-host>:<port>}, joined by commas. */
  public String seeds(IntFunction<String> node) {
    return ports.stream().map(node::apply).collect(Collectors.joining(","));
  }

  /** A client of the whole cluster. */
  public JedisCluster client() {
    return new JedisCluster(
        ports.stream().map(p -> new HostAndPort("127.0.0.1", p)).collect(Collectors.toSet()));
  }

  /** Ids whose {@code key(id)} hash to slots of different nodes, one per node. */
  public static List<String> idsOnEveryNode(
      String prefix, java.util.function.Function<String, String> key) {
    List<String> ids = new ArrayList<>();
    Set<Integer> nodesUsed = new HashSet<>();
    for (int i = 0; ids.size() < NODES; i++) {
      String id = prefix + i;
      if (nodesUsed.add(JedisClusterCRC16.getSlot(key.apply(id)) / SLOTS_PER_NODE)) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Override
  public void close() {
    nodes.forEach(Process::destroy);
  }

  /** Gives each node a third of the slots, introduces them, and waits for the cluster to be ok. */
  private void form() throws Exception {
    List<Jedis> clients = new ArrayList<>();
    for (int port : ports) {
      clients.add(awaitNode(port));
    }
    for (int i = 0; i < NODES; i++) {
      int from = i * SLOTS_PER_NODE;
      int to = Math.min(SLOTS - 1, (i + 1) * SLOTS_PER_NODE - 1);
      clients.get(i).clusterAddSlotsRange(from, to);
    }
    for (int i = 1; i < NODES; i++) {
      clients
          .get(0)
          .sendCommand(
              Protocol.Command.CLUSTER,
              "MEET",
              "127.0.0.1",
              ports.get(i).toString(),
              busPorts.get(i).toString());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (clients.stream().anyMatch(c -> !c.clusterInfo().contains("cluster_state:ok"))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Redis Cluster did not form: " + clients.get(0).clusterInfo());
      }
      Thread.sleep(100);
    }
    clients.forEach(Jedis::close);
  }

  private static Jedis awaitNode(int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Jedis jedis = new Jedis("127.0.0.1", port);
      try {
        jedis.ping();
        return jedis;
      } catch (RuntimeException e) {
        jedis.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}
