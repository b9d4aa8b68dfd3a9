package dev.engage.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.AgentTask;
import dev.engage.avro.Decision;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.ScoredCandidate;
import dev.engage.rules.decisions.DecisionIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class AgentTasksTest {
  private static final Instant AT = Instant.parse("2026-12-03T07:00:00Z");

  @Test
  void aNotificationDroppedForWantOfAConsentedChannelIsATaskAndOthersAreNot() {
    Decision decision =
        Decision.newBuilder()
            .setDecisionId("ann/3")
            .setCustomerId("ann")
            .setSequence(3)
            .setCause("trigger")
            .setDecidedAt(AT)
            .setControlGroup(false)
            .setExplored(false)
            .setChosenProbability(1)
            .setCandidates(List.of(candidate("act-1", "REBOOK_OFFER")))
            .setNotifications(
                List.of(
                    notification("act-1", "DROP", "NO_CONSENTED_CHANNEL"),
                    notification("act-2", "DROP", "COOLDOWN"),
                    notification("act-3", "SEND", "SENT")))
            .build();
    List<AgentTask> tasks = new ArrayList<>();

    AgentTasks.unreachable(decision, new ListCollector<>(tasks));

    assertThat(tasks)
        .containsExactly(
            new AgentTask(
                DecisionIds.task("act-1"),
                "ann",
                "unreachable",
                "act-1",
                null,
                "rebooking-offer",
                "REBOOK_OFFER",
                null,
                "No channel has the customer's consent for rebooking-offer (REBOOK_OFFER): reach"
                    + " them in person",
                AT));
  }

  @Test
  void aFailedOrBouncedDeliveryIsATaskAndOtherResponsesAreNot() {
    List<AgentTask> tasks = new ArrayList<>();
    Response failed = response(ResponseType.FAILED);
    failed.setReason("550 mailbox unknown");

    AgentTasks.failedDelivery(failed, new ListCollector<>(tasks));
    AgentTasks.failedDelivery(response(ResponseType.DELIVERED), new ListCollector<>(tasks));
    AgentTasks.failedDelivery(response(ResponseType.OPENED), new ListCollector<>(tasks));
    AgentTasks.failedDelivery(response(ResponseType.BOUNCED), new ListCollector<>(tasks));

    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(1).getReason()).isEqualTo("Delivery by email bounced");
    assertThat(tasks)
        .first()
        .satisfies(
            t -> {
              assertThat(t.getTaskId()).isEqualTo(DecisionIds.task("ntf-9"));
              assertThat(t.getKind()).isEqualTo("delivery_failed");
              assertThat(t.getReason()).isEqualTo("Delivery by email failed: 550 mailbox unknown");
              assertThat(t.getCreatedAt()).isEqualTo(AT);
            });
  }

  private static Response response(ResponseType type) {
    return Response.newBuilder()
        .setEventId("r-" + type)
        .setCustomerId("ann")
        .setType(type)
        .setActionId("act-9")
        .setNotificationId("ntf-9")
        .setChannel("email")
        .setOccurredAt(AT)
        .setReceivedAt(AT)
        .build();
  }

  private static NotificationDecision notification(String actionId, String verdict, String reason) {
    return NotificationDecision.newBuilder()
        .setActionId(actionId)
        .setSourceId("rebooking-offer")
        .setVerdict(verdict)
        .setReason(reason)
        .build();
  }

  private static ScoredCandidate candidate(String actionId, String code) {
    return ScoredCandidate.newBuilder()
        .setActionId(actionId)
        .setCode(code)
        .setSourceId("rebooking-offer")
        .setOrigin("trigger")
        .setRank(1)
        .setScore(0.5)
        .setPriority(0.5)
        .setPropensity(0.5)
        .setSegment("*")
        .setContext(1)
        .setValue(1)
        .setLever(1)
        .setReason("")
        .build();
  }
}
