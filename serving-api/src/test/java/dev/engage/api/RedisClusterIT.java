package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.api.auth.Role;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.redis.RedisKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The API on a real three-node Redis Cluster (--redis-cluster): customers whose keys live on
 * different nodes are read (one slot per customer, pipelines included), found by email through an
 * index entry on yet another slot, and erased.
 */
@ExtendWith(SharedStack.class)
class RedisClusterIT {
  private static final int NODES = 3;
  private static final int SLOTS = 16384;

  @TempDir static Path dir;
  private static final List<Process> nodes = new ArrayList<>();
  private static final List<Integer> ports = new ArrayList<>();
  private static final List<Integer> busPorts = new ArrayList<>();
  private static TestApi api;
  private static JedisCluster cluster;

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    for (int i = 0; i < NODES; i++) {
      int port = SharedStack.freePort();
      // by default the bus listens on port + 10000, which is out of range for high free ports
      int busPort = SharedStack.freePort();
      ports.add(port);
      busPorts.add(busPort);
      nodes.add(
          new ProcessBuilder(
                  config.redisBinary(),
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
    formCluster();
    String seeds =
        ports.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    api = TestApi.onCluster(seeds, config, dir);
    cluster =
        new JedisCluster(
            ports.stream().map(p -> new HostAndPort("127.0.0.1", p)).collect(Collectors.toSet()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    nodes.forEach(Process::destroy);
  }

  @Test
  void customersOnEveryNodeAreReadFoundByEmailAndErased() throws Exception {
    List<String> customers = customersOnDifferentNodes();
    for (String id : customers) {
      cluster.hset(
          RedisKeys.profile(id),
          Map.of("version", "2", "json", "{\"customerId\":\"" + id + "\",\"version\":2}"));
      cluster.set(RedisKeys.timeline(id), "[{\"type\":\"page_view\"}]");
      cluster.set(RedisKeys.identity("email", emailHash(id)), id);
    }

    for (String id : customers) {
      assertThat(
              TestApi.json(api.get("/v1/customers/" + id, Role.AGENT)).path("customerId").asText())
          .isEqualTo(id);
      assertThat(api.get("/v1/customers/" + id + "/timeline", Role.AGENT).body())
          .contains("page_view");
      assertThat(api.get("/v1/customers/" + id + "/next-best-actions", Role.AGENT).statusCode())
          .isEqualTo(200);
      assertThat(
              TestApi.json(api.get("/v1/customers?email=" + id + "@example.com", Role.AGENT))
                  .path("customerId")
                  .asText())
          .isEqualTo(id);
    }

    String erased = customers.get(1);
    assertThat(api.send("DELETE", "/v1/customers/" + erased, Role.ADMIN, "", null).statusCode())
        .isEqualTo(202);
    assertThat(RedisKeys.all(erased).stream().map(cluster::exists)).containsOnly(false);
    assertThat(api.get("/v1/customers/" + erased, Role.AGENT).statusCode()).isEqualTo(404);
    assertThat(api.get("/v1/customers/" + customers.get(0), Role.AGENT).statusCode())
        .isEqualTo(200);
  }

  /** Customer ids whose keys hash to slots served by different nodes. */
  private static List<String> customersOnDifferentNodes() {
    List<String> ids = new ArrayList<>();
    Set<Integer> nodesUsed = new HashSet<>();
    for (int i = 0; ids.size() < NODES; i++) {
      String id = "cluster-" + i;
      int node = JedisClusterCRC16.getSlot(RedisKeys.profile(id)) / (SLOTS / NODES + 1);
      if (nodesUsed.add(node)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static String emailHash(String id) {
    return PersonalData.sha256(PersonalData.normalizeEmail(id + "@example.com"));
  }

  /** Gives each node a third of the slots, introduces them, and waits for the cluster to be ok. */
  private static void formCluster() throws Exception {
    List<Jedis> clients = new ArrayList<>();
    for (int port : ports) {
      clients.add(awaitNode(port));
    }
    int per = SLOTS / NODES + 1;
    for (int i = 0; i < NODES; i++) {
      int from = i * per;
      int to = Math.min(SLOTS - 1, (i + 1) * per - 1);
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
