package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.JobTopics;
import dev.engage.jobs.redis.RedisProfiles;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * A customer who dropped out of the job's state (time-to-live) is reloaded from Redis on their next
 * touchpoint, and versions go on increasing even when Redis lost them too.
 */
@ExtendWith(SharedStack.class)
class ProfileTimeToLiveIT {
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(40));
  private static final ScriptedTouchpoints SCRIPT = new ScriptedTouchpoints(T0);

  @Test
  void aCustomerWhoLeftTheStateIsReloadedFromRedis(StackConfig stack) throws Exception {
    JobTopics topics = JobTopics.create(stack);
    URI redisUri = redisDb(stack, 4);
    JobClient job =
        topics.startApplication("ttl", new Configuration(), Duration.ofSeconds(2), redisUri);
    List<Touchpoint> before = new ArrayList<>();
    for (String customer : List.of("ttl-kept", "ttl-lost")) {
      before.add(SCRIPT.event(customer, "page_view", "web", 0));
      before.add(SCRIPT.purchase(customer, 1, 20.0, "books"));
    }
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, before);
    topics.records(job, topics.catalog().profiles(), p -> true, 4, Duration.ofSeconds(60));
    try (JedisPooled redis = new JedisPooled(redisUri)) {
      Thread.sleep(5_000); // both untouched for longer than the time-to-live: they leave the state
      redis.del(RedisKeys.profile("ttl-lost"), RedisKeys.timeline("ttl-lost"));

      topics.send(
          topics.catalog().touchpoints(),
          Touchpoint::getCustomerId,
          List.of(
              SCRIPT.event("ttl-kept", "page_view", "app", 10),
              SCRIPT.event("ttl-lost", "page_view", "app", 10)));
      Map<String, CustomerProfile> after =
          topics
              .records(
                  job,
                  topics.catalog().profiles(),
                  p -> p.getVersion() == 3,
                  2,
                  Duration.ofSeconds(60))
              .stream()
              .collect(Collectors.toMap(CustomerProfile::getCustomerId, p -> p));
      job.cancel().get();

      // reloaded from Redis: it goes on counting
      assertThat(after.get("ttl-kept").getCountsByChannel())
          .containsOnly(Map.entry("web", 1L), Map.entry("pos", 1L), Map.entry("app", 1L));
      assertThat(after.get("ttl-kept").getHistoricValue()).isEqualTo(20.0);
      assertThat(after.get("ttl-kept").getTimeline()).hasSize(3);
      // its state was dropped and Redis lost it too: it starts again, with a newer version
      assertThat(after.get("ttl-lost").getCountsByChannel()).containsOnly(Map.entry("app", 1L));
      assertThat(redis.hget(RedisKeys.profile("ttl-lost"), "version")).isEqualTo("3");
    }
  }

  /**
   * While Redis is slow to answer one customer's reload (paused here, a real redis-server told to
   * hold every client), the other customers' touchpoints go on, and the reloaded customer's own
   * touchpoints wait for the reload and then all count, in their order.
   */
  @Test
  void aSlowReloadHoldsUpOnlyItsOwnCustomerWhoseTouchpointsAllCountInOrder(StackConfig stack)
      throws Exception {
    URI redisUri = redisDb(stack, 5);
    try (JedisPooled redis = new JedisPooled(redisUri);
        KeyedBroadcastOperatorTestHarness<String, ProfileInput, RuleChange, CustomerProfile>
            harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                    new ProfileUpdater(redisUri, Duration.ofMinutes(1)),
                    ProfileInput::customerId,
                    Types.STRING,
                    ProfileDescriptors.DEFINITIONS)) {
      redis.flushDB();
      harness.setProcessingTime(0);
      harness.processElement(ProfileInput.of(SCRIPT.purchase("ann", 0, 20.0, "books")), 0);
      new RedisProfiles(redis).write(harness.extractOutputValues()); // what the Redis sink does
      harness.setProcessingTime(Duration.ofMinutes(3).toMillis()); // ann leaves the state
      harness.getOutput().clear();

      try (Jedis pausing = new Jedis(redisUri)) {
        pausing.clientPause(1_000, ClientPauseMode.ALL);
      }
      harness.processElement(ProfileInput.of(SCRIPT.event("ann", "page_view", "web", 10)), 0);
      harness.processElement(ProfileInput.of(SCRIPT.event("bob", "page_view", "web", 10)), 0);
      harness.processElement(ProfileInput.of(SCRIPT.event("ann", "page_view", "app", 11)), 0);

      // Redis has not answered yet: bob's profile is out, ann's reload still under way
      assertThat(harness.extractOutputValues())
          .extracting(CustomerProfile::getCustomerId)
          .containsExactly("bob");
      long now = Duration.ofMinutes(3).toMillis();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (harness.extractOutputValues().size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        harness.setProcessingTime(now += 10); // the operator looks for Redis's answer on a timer
      }
      List<CustomerProfile> ann =
          harness.extractOutputValues().stream()
              .filter(p -> p.getCustomerId().equals("ann"))
              .toList();
      assertThat(ann).extracting(CustomerProfile::getVersion).containsExactly(2L, 3L);
      assertThat(ann)
          .extracting(p -> p.getLastCause().getEventId())
          .containsExactly("ann-page_view-10", "ann-page_view-11");
      assertThat(ann.get(1).getCountsByChannel())
          .containsOnly(Map.entry("pos", 1L), Map.entry("web", 1L), Map.entry("app", 1L));
      assertThat(ann.get(1).getHistoricValue()).isEqualTo(20.0);
    }
  }

  private static URI redisDb(StackConfig stack, int db) {
    return URI.create("redis://localhost:" + stack.redisPort() + "/" + db);
  }
}
