package dev.engage.jobs.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.Checkpoints;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggers topic is exactly once across a failure: the job is cancelled while touchpoints flow
 * and restored from its newest checkpoint (as {@code StreamJobsMain} resumes), and {@code
 * triggers}, read_committed, holds the firings of an uninterrupted run, each once, although the
 * restored job processed part of the stream twice.
 */
@ExtendWith(SharedStack.class)
class TriggerRecoveryIT {
  private static final int CUSTOMERS = 20;
  private static final int VIEWS_EACH = 10;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

  private static final String EVERY_VIEW =
      """
      id: every-view
      name: Every page view
      when: {kind: event, condition: "event.type == 'page_view'"}
      action: {code: VIEWED}
      """;

  @Test
  void aJobCancelledMidStreamAndRestoredWritesEachFiringOnce(StackConfig stack, @TempDir Path dir)
      throws Exception {
    List<Touchpoint> views = views();
    List<Touchpoint> firstHalf = views.subList(0, views.size() / 2);
    List<Touchpoint> secondHalf = views.subList(views.size() / 2, views.size());

    JobTopics uninterrupted = JobTopics.create(stack);
    JobClient job =
        start(
            stack,
            uninterrupted,
            "whole",
            new Checkpoints(dir.resolve("whole"), CHECKPOINT_INTERVAL));
    send(uninterrupted, views);
    List<TriggerFired> expected = firings(uninterrupted, job, views.size());
    job.cancel().get();
    assertThat(expected).hasSize(views.size());

    JobTopics interrupted = JobTopics.create(stack);
    Checkpoints checkpoints = new Checkpoints(dir.resolve("cancelled"), CHECKPOINT_INTERVAL);
    job = start(stack, interrupted, "cancelled", checkpoints);
    send(interrupted, firstHalf);
    firings(interrupted, job, firstHalf.size());
    checkpoints.awaitNew();
    send(interrupted, secondHalf);
    // cancelled once part of the second half is through the job, before the next checkpoint
    profileVersions(interrupted, job, firstHalf.size() + secondHalf.size() / 4);
    job.cancel().get();

    job =
        interrupted.startApplication(
            "restored",
            checkpoints.restoring(checkpoints.newest().orElseThrow()),
            Duration.ofDays(90),
            interrupted.redisUri());
    firings(interrupted, job, views.size());
    // and a while longer, for any duplicate
    List<TriggerFired> recovered =
        firings(interrupted, job, views.size() + 1, Duration.ofSeconds(10));
    int replayed = profileVersions(interrupted, job, views.size() + 1);
    job.cancel().get();

    assertThat(replayed)
        .as("profile versions written twice: the restored job processed part of the stream again")
        .isGreaterThan(views.size());
    assertThat(withoutProcessingTime(recovered))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(withoutProcessingTime(expected));
  }

  private static JobClient start(
      StackConfig stack, JobTopics topics, String name, Checkpoints checkpoints) throws Exception {
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(EVERY_VIEW, "yaml", "it");
    JobClient job =
        topics.startApplication(
            name, checkpoints.configuration(), Duration.ofDays(90), topics.redisUri());
    topics.awaitRules(job, rules);
    return job;
  }

  private static List<TriggerFired> firings(JobTopics topics, JobClient job, int atLeast) {
    return firings(topics, job, atLeast, Duration.ofSeconds(60));
  }

  private static List<TriggerFired> firings(
      JobTopics topics, JobClient job, int atLeast, Duration timeout) {
    return topics.firings(job, t -> t.getRuleId().equals("every-view"), atLeast, timeout);
  }

  /**
   * Profile versions of the test's customers on the profiles topic (at least once, seen at once).
   */
  private static int profileVersions(JobTopics topics, JobClient job, int atLeast) {
    return topics
        .records(
            job,
            topics.catalog().profiles(),
            p -> p.getCustomerId().startsWith("tr-"),
            atLeast,
            Duration.ofSeconds(60))
        .size();
  }

  /** The firings as a run writes them, but for the moment each was emitted. */
  private static List<TriggerFired> withoutProcessingTime(List<TriggerFired> firings) {
    return firings.stream()
        .map(t -> TriggerFired.newBuilder(t).setFiredAt(Instant.EPOCH).build())
        .toList();
  }

  private static void send(JobTopics topics, List<Touchpoint> events) throws Exception {
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, events);
  }

  /** Page views of every customer, ten minutes apart, in rounds. */
  private static List<Touchpoint> views() {
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
    List<Touchpoint> views = new ArrayList<>();
    for (int i = 0; i < VIEWS_EACH; i++) {
      for (int c = 0; c < CUSTOMERS; c++) {
        Instant at = start.plus(Duration.ofMinutes(10L * i + c));
        views.add(
            Touchpoint.newBuilder()
                .setEventId("tr-" + c + "-view-" + i)
                .setCustomerId("tr-" + c)
                .setType("page_view")
                .setChannel("web")
                .setSource("it")
                .setOccurredAt(at)
                .setReceivedAt(at.plusMillis(40))
                .build());
      }
    }
    return views;
  }
}
