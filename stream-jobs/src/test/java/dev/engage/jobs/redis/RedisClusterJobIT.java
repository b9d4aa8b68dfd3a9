package dev.engage.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.JobTopics;
import dev.engage.jobs.profile.ScriptedTouchpoints;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalRedisCluster;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.redis.AnalyticsKeys;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.redis.StoredActions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisCluster;

/**
 * The whole application writing to a real three-node Redis Cluster ({@code --redis-uri
 * redis-cluster://...}): customers whose keys live on different nodes get their profile, timeline,
 * email index entry (on yet another slot) and next-best-actions there, and the campaign figures
 * land in their hash, as on a single Redis.
 */
@ExtendWith(SharedStack.class)
class RedisClusterJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScriptedTouchpoints SCRIPT =
      new ScriptedTouchpoints(Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(3600));

  @TempDir static Path dir;
  private static LocalRedisCluster redis;
  private static JedisCluster cluster;
  private static JobTopics topics;
  private static JobClient job;

  @BeforeAll
  static void start(StackConfig stack) throws Exception {
    redis = LocalRedisCluster.start(stack.redisBinary(), dir);
    cluster = redis.client();
    topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(
        """
        id: rc-welcome
        name: Welcome on a first page view
        when: {kind: event, condition: "event.type == 'page_view'"}
        action: {code: RC_WELCOME, notify: none}
        """,
        "yaml",
        "it");
    rules.publish(
        """
        kind: offer
        id: rc-tour
        name: Take the app tour
        code: RC_TOUR
        priority: 30
        """,
        "yaml",
        "it");
    URI seeds =
        URI.create(RedisClients.CLUSTER_SCHEME + "://" + redis.seeds(port -> "127.0.0.1:" + port));
    job = topics.startApplication("redis-cluster", new Configuration(), Duration.ofDays(90), seeds);
    topics.awaitRules(job, rules);
  }

  @AfterAll
  static void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void customersOnEveryNodeGetTheirProfileIndexAndActionsOnTheCluster() throws Exception {
    List<String> customers = LocalRedisCluster.idsOnEveryNode("rc-", RedisKeys::profile);
    List<Touchpoint> touchpoints = new ArrayList<>();
    for (String id : customers) {
      Touchpoint identify = SCRIPT.event(id, "identify", "web", 0);
      identify.setIdentities(Map.of("email", "hash-of-" + id));
      touchpoints.add(identify);
      touchpoints.add(SCRIPT.event(id, "page_view", "web", 1));
    }
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, touchpoints);

    for (String id : customers) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "2".equals(cluster.hget(RedisKeys.profile(id), "version")));
      JsonNode profile = JSON.readTree(cluster.hget(RedisKeys.profile(id), "json"));
      assertThat(profile.path("countsByType").path("page_view").asInt()).isEqualTo(1);
      assertThat(cluster.get(RedisKeys.timeline(id))).contains("page_view");
      assertThat(cluster.get(RedisKeys.identity("email", "hash-of-" + id))).isEqualTo(id);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                String actions = cluster.hget(RedisKeys.nextBestActions(id), StoredActions.JSON);
                return actions != null && actions.contains("RC_TOUR");
              });
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions() // no figure yet
        .until(
            () ->
                Double.parseDouble(
                        cluster.hget(
                            AnalyticsKeys.campaigns(),
                            "fired" + AnalyticsKeys.SEPARATOR + "rc-welcome"))
                    >= customers.size());
  }
}
