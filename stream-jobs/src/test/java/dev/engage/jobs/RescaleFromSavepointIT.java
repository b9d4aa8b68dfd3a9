package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.profile.ScriptedTouchpoints;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * A rescale and an upgrade from a savepoint: the application runs at parallelism 1, is stopped with
 * a savepoint (as {@code flink stop} does, without draining, so pending timers stay pending), and
 * started from it at parallelism 2 with operator chaining switched off, a job graph of other tasks
 * in which each operator finds its state by its uid alone. Counters continue where they were, no
 * trigger fires twice, and an absence timer pending at the savepoint fires after the restore (or is
 * cancelled by a purchase the restored job sees).
 */
@ExtendWith(SharedStack.class)
class RescaleFromSavepointIT {
  /**
   * Event time starts a day ahead of the wall clock, beyond the warm-up touchpoint of {@link
   * JobTopics#awaitRules}, which would otherwise move event time past every reminder at once.
   */
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));

  private static final ScriptedTouchpoints SCRIPT = new ScriptedTouchpoints(T0);
  private static final int CUSTOMERS = 20;
  private static final int VIEWS_PER_RUN = 5;
  private static final int VIEWS_EACH_RUN = CUSTOMERS * VIEWS_PER_RUN;
  private static final int REMINDERS = CUSTOMERS / 2; // every other customer buys in time
  private static final String PREFIX = "rescale-";
  private static final Duration PROFILE_TTL = Duration.ofDays(90);

  private static final String EVERY_VIEW =
      """
      id: every-view
      name: Every page view
      when: {kind: event, condition: "event.type == 'page_view'"}
      action: {code: VIEWED}
      """;
  private static final String ABANDONED_CART =
      """
      id: abandoned-cart
      name: Abandoned cart
      when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
      action: {code: CART_REMINDER}
      """;

  @Test
  void aJobRestoredFromASavepointAtParallelismTwoContinuesItsCountersTimersAndFirings(
      StackConfig stack, @TempDir Path dir) throws Exception {
    JobTopics topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(EVERY_VIEW, "yaml", "it");
    rules.publish(ABANDONED_CART, "yaml", "it");
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), Duration.ofSeconds(2));
    Configuration before = checkpoints.configuration();

    JobClient job = topics.startApplication("engage", before, PROFILE_TTL, topics.redisUri());
    topics.awaitRules(job, rules);
    List<Touchpoint> first = beforeTheSavepoint();
    send(topics, first);
    assertThat(topics.firings(job, rule("every-view"), VIEWS_EACH_RUN, Duration.ofSeconds(60)))
        .as("view firings committed before the savepoint")
        .hasSize(VIEWS_EACH_RUN);
    profilesAt(topics, job, c -> VIEWS_PER_RUN + 1L);
    assertThat(topics.firings(job, rule("abandoned-cart"), 1, Duration.ofSeconds(1)))
        .as("reminders fired before the savepoint (their timers must still be pending)")
        .isEmpty();
    long stopping = System.nanoTime();
    String savepoint =
        job.stopWithSavepoint(
                false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(60, TimeUnit.SECONDS);
    double stopSeconds = (System.nanoTime() - stopping) / 1e9;

    Configuration after = checkpoints.restoring(Path.of(URI.create(savepoint)));
    after.set(CoreOptions.DEFAULT_PARALLELISM, 2);
    after.set(PipelineOptions.OPERATOR_CHAINING, false);
    assertRescaledAndRegrouped(topics, before, after);
    long starting = System.nanoTime();
    job = topics.startApplication("engage", after, PROFILE_TTL, topics.redisUri());
    List<Touchpoint> second = afterTheSavepoint();
    send(topics, second);
    topics.firings(job, rule("every-view"), 2 * VIEWS_EACH_RUN, Duration.ofSeconds(90));
    topics.firings(job, rule("abandoned-cart"), REMINDERS, Duration.ofSeconds(60));
    double restoredSeconds = (System.nanoTime() - starting) / 1e9;
    Map<String, CustomerProfile> profiles = profilesAt(topics, job, RescaleFromSavepointIT::sent);
    // a while longer, for any firing written twice
    List<TriggerFired> views =
        topics.firings(job, rule("every-view"), 2 * VIEWS_EACH_RUN + 1, Duration.ofSeconds(5));
    List<TriggerFired> reminders =
        topics.firings(job, rule("abandoned-cart"), REMINDERS + 1, Duration.ofSeconds(1));
    job.cancel().get();

    System.out.printf(
        "rescale 1 -> 2 from savepoint %s (stop with savepoint %.1f s; restored job through every"
            + " expected firing %.1f s): %d touchpoints, %d view firings, %d reminders, %d"
            + " profiles checked%n",
        savepoint,
        stopSeconds,
        restoredSeconds,
        first.size() + second.size(),
        views.size(),
        reminders.size(),
        profiles.size());
    assertThat(views)
        .extracting(t -> t.getCauses().get(0).getEventId())
        .as("one firing per page view, across the savepoint")
        .doesNotHaveDuplicates()
        .hasSize(2 * VIEWS_EACH_RUN);
    assertEachReminderOnceFromItsPendingTimer(reminders);
    assertCountersContinued(profiles, topics.redisUri());
  }

  /** Views at minutes 0-4, then a cart at minute 5, whose reminder is due at minute 35. */
  private static List<Touchpoint> beforeTheSavepoint() {
    List<Touchpoint> events = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      events.addAll(views(c, 0));
      events.add(receivedNow(SCRIPT.event(customer(c), "add_to_cart", "web", 5)));
    }
    return events;
  }

  /**
   * Every other customer buys at minute 10, in time; then everyone views at minutes 40-44, which
   * moves event time past minute 35. The purchases go first: a view read before one would move
   * event time past its reminder.
   */
  private static List<Touchpoint> afterTheSavepoint() {
    List<Touchpoint> events = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      if (buys(c)) {
        events.add(receivedNow(SCRIPT.purchase(customer(c), 10, 25.0, "books")));
      }
    }
    for (int c = 0; c < CUSTOMERS; c++) {
      events.addAll(views(c, 40));
    }
    return events;
  }

  /** A reminder for each customer who did not buy, once, at the time its timer was set for. */
  private static void assertEachReminderOnceFromItsPendingTimer(List<TriggerFired> reminders) {
    assertThat(reminders)
        .extracting(TriggerFired::getCustomerId)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, CUSTOMERS)
                .filter(c -> !buys(c))
                .mapToObj(RescaleFromSavepointIT::customer)
                .toList());
    assertThat(reminders)
        .extracting(TriggerFired::getOccurredAt)
        .containsOnly(T0.plus(Duration.ofMinutes(35)));
  }

  /** Each profile counts every touchpoint of both runs, by type, in the topic and in Redis. */
  private static void assertCountersContinued(Map<String, CustomerProfile> profiles, URI redisUri) {
    try (JedisPooled redis = new JedisPooled(redisUri)) {
      for (int c = 0; c < CUSTOMERS; c++) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put("page_view", 2L * VIEWS_PER_RUN);
        counts.put("add_to_cart", 1L);
        if (buys(c)) {
          counts.put("purchase", 1L);
        }
        assertThat(profiles.get(customer(c)).getCountsByType()).as(customer(c)).isEqualTo(counts);
        assertThat(redis.hget(RedisKeys.profile(customer(c)), "version"))
            .as(customer(c) + " in Redis")
            .isEqualTo(Long.toString(sent(c)));
      }
    }
  }

  /**
   * The restored job's graph runs at parallelism 2 in more tasks than the first one's, and the
   * customers' keys fall into both halves of the key groups: a rescale that moved no key, or an
   * unchanged graph, would prove nothing.
   */
  private static void assertRescaledAndRegrouped(
      JobTopics topics, Configuration before, Configuration after) {
    JobGraph first = jobGraph(topics, before);
    JobGraph second = jobGraph(topics, after);
    assertThat(first.getVertices()).extracting(JobVertex::getParallelism).containsOnly(1);
    assertThat(second.getNumberOfVertices()).isGreaterThan(first.getNumberOfVertices());
    assertThat(second.getVertices()).extracting(JobVertex::getParallelism).containsOnly(2);
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(1);
    Map<Integer, Long> customersPerSubtask =
        IntStream.range(0, CUSTOMERS)
            .mapToObj(RescaleFromSavepointIT::customer)
            .collect(
                Collectors.groupingBy(
                    id ->
                        KeyGroupRangeAssignment.assignKeyToParallelOperator(id, maxParallelism, 2),
                    Collectors.counting()));
    assertThat(customersPerSubtask).containsOnlyKeys(0, 1);
    System.out.printf(
        "job graph: %d tasks at parallelism 1, %d at parallelism 2 without chaining; customers per"
            + " subtask after the rescale: %s%n",
        first.getNumberOfVertices(), second.getNumberOfVertices(), customersPerSubtask);
  }

  private static JobGraph jobGraph(JobTopics topics, Configuration conf) {
    return topics
        .application("graph", conf, PROFILE_TTL, topics.redisUri())
        .getStreamGraph()
        .getJobGraph();
  }

  /**
   * Each customer's profile at the version it reaches once it has counted every touchpoint sent so
   * far, waiting until all have one (and failing if one never gets there).
   */
  private static Map<String, CustomerProfile> profilesAt(
      JobTopics topics, JobClient job, Function<Integer, Long> version) {
    Map<String, Long> expected =
        IntStream.range(0, CUSTOMERS)
            .boxed()
            .collect(Collectors.toMap(RescaleFromSavepointIT::customer, version));
    Map<String, CustomerProfile> reached = new HashMap<>();
    topics
        .records(
            job,
            topics.catalog().profiles(),
            p -> p.getVersion() == expected.getOrDefault(p.getCustomerId(), -1L),
            CUSTOMERS,
            Duration.ofSeconds(90))
        .forEach(p -> reached.put(p.getCustomerId(), p));
    assertThat(reached.keySet())
        .as("customers whose profile counted every touchpoint")
        .isEqualTo(expected.keySet());
    return reached;
  }

  private static List<Touchpoint> views(int c, int fromMinute) {
    return IntStream.range(fromMinute, fromMinute + VIEWS_PER_RUN)
        .mapToObj(minute -> receivedNow(SCRIPT.event(customer(c), "page_view", "web", minute)))
        .toList();
  }

  /** Touchpoints sent to the customer over both runs: a profile version counts one each. */
  private static long sent(int c) {
    return 2L * VIEWS_PER_RUN + 1 + (buys(c) ? 1 : 0);
  }

  /**
   * Received now, as a collector stamps it: the job stamps the records it writes with receivedAt,
   * and the broker refuses timestamps more than an hour ahead of its clock.
   */
  private static Touchpoint receivedNow(Touchpoint event) {
    event.setReceivedAt(Instant.now());
    return event;
  }

  private static boolean buys(int c) {
    return c % 2 == 0;
  }

  private static String customer(int c) {
    return PREFIX + c;
  }

  private static Predicate<TriggerFired> rule(String id) {
    return t -> t.getRuleId().equals(id) && t.getCustomerId().startsWith(PREFIX);
  }

  private static void send(JobTopics topics, List<Touchpoint> events) throws Exception {
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, events);
  }
}
