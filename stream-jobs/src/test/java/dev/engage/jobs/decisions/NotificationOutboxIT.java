package dev.engage.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Notification;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.Checkpoints;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.decisions.DecisionIds;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification outbox is exactly once across a failure: the job is cancelled while triggers
 * flow and restored from its last checkpoint, and {@code notifications}, read as delivery reads it
 * (read_committed), holds exactly one notification per decision, no gap and no duplicate, with the
 * ids the decisions derive from the firings, as an uninterrupted run would.
 */
@ExtendWith(SharedStack.class)
class NotificationOutboxIT {
  private static final int CUSTOMERS = 40;

  /** Transactional, so the control group (5% of customers) is sent it too. */
  private static final String WELCOME =
      """
      id: welcome
      name: Welcome
      purpose: transactional
      when: {kind: event, condition: "event.type == 'signed_up'"}
      action: {code: WELCOME, notify: in_app, template: "Welcome!"}
      """;

  @Test
  void aJobCancelledWhileTriggersFlowAndRestoredSendsEachNotificationOnce(
      StackConfig stack, @TempDir Path dir) throws Exception {
    JobTopics topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(WELCOME, "yaml", "it");
    List<Touchpoint> signUps = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      signUps.add(signUp("outbox-" + i));
    }

    Checkpoints checkpoints = new Checkpoints(dir, Duration.ofSeconds(1));
    JobClient job =
        topics.startApplication(
            "outbox", checkpoints.configuration(), Duration.ofDays(90), topics.redisUri());
    topics.awaitRules(job, rules);
    send(topics, signUps.subList(0, CUSTOMERS / 2));
    topics.records(
        job, topics.catalog().notifications(), n -> true, CUSTOMERS / 2, Duration.ofSeconds(60));
    send(topics, signUps.subList(CUSTOMERS / 2, CUSTOMERS));
    // cancelled while the second half is being decided: some of it sent, some not yet
    topics.records(
        job,
        topics.catalog().triggers(),
        t -> t.getRuleId().equals("welcome"),
        CUSTOMERS * 3 / 4,
        Duration.ofSeconds(60));
    job.cancel().get();

    // restored from its last checkpoint: what that checkpoint committed stays, what came after
    // it (an aborted transaction) is decided and sent again
    job =
        topics.startApplication(
            "outbox",
            checkpoints.restoring(checkpoints.newest().orElseThrow()),
            Duration.ofDays(90),
            topics.redisUri());
    topics.records(
        job,
        topics.catalog().notifications(),
        n -> n.getRuleId().equals("welcome"),
        CUSTOMERS,
        Duration.ofSeconds(60));
    // and a while longer, for any duplicate
    List<Notification> sent =
        topics.records(
            job,
            topics.catalog().notifications(),
            n -> n.getRuleId().equals("welcome"),
            CUSTOMERS + 1,
            Duration.ofSeconds(10));
    List<TriggerFired> firings =
        topics.records(
            job,
            topics.catalog().triggers(),
            t -> t.getRuleId().equals("welcome"),
            CUSTOMERS,
            Duration.ofSeconds(10));
    job.cancel().get();

    List<String> expected =
        firings.stream()
            .map(
                t ->
                    DecisionIds.notification(DecisionIds.action(t.getCustomerId(), t.getEventId())))
            .toList();
    assertThat(expected).hasSize(CUSTOMERS);
    assertThat(sent)
        .extracting(Notification::getNotificationId)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void send(JobTopics topics, List<Touchpoint> events) throws Exception {
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, events);
  }

  private static Touchpoint signUp(String customer) {
    Instant now = Instant.now();
    return Touchpoint.newBuilder()
        .setEventId(customer + "-signed-up")
        .setCustomerId(customer)
        .setType("signed_up")
        .setChannel("web")
        .setSource("it")
        .setOccurredAt(now)
        .setReceivedAt(now)
        .build();
  }
}
