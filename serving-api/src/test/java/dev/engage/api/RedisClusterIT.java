package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.api.auth.Role;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalRedisCluster;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.redis.RedisKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisCluster;

/**
 * The API on a real three-node Redis Cluster (--redis-cluster): customers whose keys live on
 * different nodes are read (one slot per customer, pipelines included), found by email through an
 * index entry on yet another slot, and erased.
 */
@ExtendWith(SharedStack.class)
class RedisClusterIT {
  @TempDir static Path dir;
  private static LocalRedisCluster redis;
  private static TestApi api;
  private static JedisCluster cluster;

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    redis = LocalRedisCluster.start(config.redisBinary(), dir);
    api = TestApi.onCluster(redis.seeds(port -> "redis://127.0.0.1:" + port), config, dir);
    cluster = redis.client();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void customersOnEveryNodeAreReadFoundByEmailAndErased() throws Exception {
    List<String> customers = LocalRedisCluster.idsOnEveryNode("cluster-", RedisKeys::profile);
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

  private static String emailHash(String id) {
    return PersonalData.sha256(PersonalData.normalizeEmail(id + "@example.com"));
  }
}
