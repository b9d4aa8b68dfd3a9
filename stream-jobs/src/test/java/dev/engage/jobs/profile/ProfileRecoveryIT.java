package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.Checkpoints;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.redis.RedisKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * The profile survives losing the job: cancelled mid-stream and restarted from its last retained
 * checkpoint, it ends exactly where an uninterrupted run ends, in the profiles topic and in Redis,
 * although it processed part of the stream twice.
 */
@ExtendWith(SharedStack.class)
class ProfileRecoveryIT {
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(40));
  private static final ScriptedTouchpoints SCRIPT = new ScriptedTouchpoints(T0);
  private static final int CUSTOMERS = 20;
  private static final int EVENTS_EACH = 30;

  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

  @Test
  void aJobCancelledMidStreamEndsWhereAnUninterruptedRunEnds(StackConfig stack, @TempDir Path dir)
      throws Exception {
    List<Touchpoint> events = script();
    List<Touchpoint> firstHalf = events.subList(0, events.size() / 2);
    List<Touchpoint> secondHalf = events.subList(events.size() / 2, events.size());

    JobTopics uninterrupted = JobTopics.create(stack);
    URI redisA = redisDb(stack, 2);
    flush(redisA);
    JobClient job =
        uninterrupted.startApplication("whole", new Configuration(), Duration.ofDays(90), redisA);
    uninterrupted.send(uninterrupted.catalog().touchpoints(), Touchpoint::getCustomerId, events);
    Map<String, CustomerProfile> expected = finalProfiles(uninterrupted, job);
    job.cancel().get();

    Checkpoints checkpoints = new Checkpoints(dir, CHECKPOINT_INTERVAL);
    JobTopics interrupted = JobTopics.create(stack);
    URI redisB = redisDb(stack, 3);
    flush(redisB);
    job =
        interrupted.startApplication(
            "cancelled", checkpoints.configuration(), Duration.ofDays(90), redisB);
    interrupted.send(interrupted.catalog().touchpoints(), Touchpoint::getCustomerId, firstHalf);
    interrupted.records(
        job, interrupted.catalog().profiles(), p -> true, firstHalf.size(), Duration.ofSeconds(60));
    Path checkpoint = checkpoints.awaitNew();
    interrupted.send(interrupted.catalog().touchpoints(), Touchpoint::getCustomerId, secondHalf);
    interrupted.records(
        job,
        interrupted.catalog().profiles(),
        p -> true,
        firstHalf.size() + secondHalf.size() / 4,
        Duration.ofSeconds(60));
    job.cancel().get();

    // the job restarts from the checkpoint taken before the second half: had it died just before
    // a later one completed, Kafka and Redis would hold just what they hold now

    job =
        interrupted.startApplication(
            "restarted", checkpoints.restoring(checkpoint), Duration.ofDays(90), redisB);
    Map<String, CustomerProfile> recovered = finalProfiles(interrupted, job);
    long versions = expected.values().stream().mapToLong(CustomerProfile::getVersion).sum();
    int written =
        interrupted
            .records(
                job,
                interrupted.catalog().profiles(),
                p -> true,
                (int) versions + 1,
                Duration.ofSeconds(60)) // returns as soon as the restarted job wrote again
            .size();
    job.cancel().get();

    assertThat(written)
        .as("versions written twice: work redone after the restart")
        .isGreaterThan((int) versions);
    assertThat(recovered).isEqualTo(expected);
    // between touchpoints 1.3 days apart the profiles aged: versions of their own, made alike
    assertThat(expected.values())
        .allSatisfy(p -> assertThat(p.getVersion()).isGreaterThan(EVENTS_EACH));
    long counted =
        recovered.values().stream()
            .mapToLong(p -> p.getCountsByType().values().stream().mapToLong(Long::longValue).sum())
            .sum();
    assertThat(counted).isEqualTo(events.size());
    try (JedisPooled a = new JedisPooled(redisA);
        JedisPooled b = new JedisPooled(redisB)) {
      for (String customer : expected.keySet()) {
        assertThat(b.hgetAll(RedisKeys.profile(customer)))
            .isEqualTo(a.hgetAll(RedisKeys.profile(customer)))
            .containsEntry("version", String.valueOf(expected.get(customer).getVersion()));
        assertThat(b.get(RedisKeys.timeline(customer)))
            .isEqualTo(a.get(RedisKeys.timeline(customer)));
      }
    }
  }

  /** Customers with purchases, calls, app and web visits spread over 40 days. */
  private static List<Touchpoint> script() {
    List<Touchpoint> events = new ArrayList<>();
    String[][] kinds = {{"page_view", "web"}, {"app_open", "app"}, {"call_started", "call_center"}};
    for (int i = 0; i < EVENTS_EACH; i++) {
      for (int c = 0; c < CUSTOMERS; c++) {
        String customer = "rc-" + c;
        int minutes = i * 1_900 + c;
        if ((i + c) % 4 == 0) {
          events.add(SCRIPT.purchase(customer, minutes, 10.0 + c, i % 2 == 0 ? "baby" : "books"));
        } else {
          String[] kind = kinds[(i + c) % 3];
          Touchpoint event = SCRIPT.event(customer, kind[0], kind[1], minutes);
          if (kind[0].equals("call_started")) {
            event.setAttributes(Map.of("callId", customer + "-call-" + i, "reason", "billing"));
          }
          events.add(event);
        }
      }
    }
    return events;
  }

  /**
   * The latest profile of every customer, once each has counted every touchpoint (the 40 days also
   * give versions of their own as the profiles age, between touchpoints).
   */
  private static Map<String, CustomerProfile> finalProfiles(JobTopics topics, JobClient job) {
    Map<String, CustomerProfile> latest = new HashMap<>();
    topics
        .records(
            job,
            topics.catalog().profiles(),
            p ->
                p.getCountsByType().values().stream().mapToLong(Long::longValue).sum()
                    == EVENTS_EACH,
            CUSTOMERS,
            Duration.ofSeconds(120))
        .forEach(p -> latest.put(p.getCustomerId(), p));
    assertThat(latest).hasSize(CUSTOMERS);
    return latest;
  }

  private static URI redisDb(StackConfig stack, int db) {
    return URI.create("redis://localhost:" + stack.redisPort() + "/" + db);
  }

  private static void flush(URI redis) {
    try (JedisPooled jedis = new JedisPooled(redis)) {
      jedis.flushDB();
    }
  }
}
