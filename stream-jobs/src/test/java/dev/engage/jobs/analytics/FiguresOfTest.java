package dev.engage.jobs.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Decision;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.analytics.FunnelEvent.Kind;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class FiguresOfTest {
  private static final Instant AT = Instant.parse("2026-12-03T07:00:00Z");

  @Test
  void aDecisionCountsEachNotificationByItsVerdictAndSuppressionsByReason() {
    List<Figure> figures = new ArrayList<>();

    FiguresOf.decision(
        decision(
            false,
            notification("act-1", "SEND", "SENT"),
            notification("act-2", "DROP", "QUIET_HOURS"),
            notification("act-3", "DEFER", "QUIET_HOURS")),
        new ListCollector<>(figures));

    String c = AnalyticsKeys.campaigns();
    assertThat(figures)
        .containsExactly(
            new Figure(c, "decided|sale", 1),
            new Figure(c, "sent|sale", 1),
            new Figure(AnalyticsKeys.daily(), "sent|2026-12-03", 1),
            new Figure(c, "decided|sale", 1),
            new Figure(c, "suppressed:QUIET_HOURS|sale", 1),
            new Figure(c, "deferred|sale", 1));
  }

  @Test
  void aDecisionExposesTreatedAndControlButNotATransactionalSendToTheControlGroup() {
    List<FunnelEvent> treated = new ArrayList<>();
    List<FunnelEvent> control = new ArrayList<>();

    FunnelEvent.ofDecision(
        decision(false, notification("act-1", "DROP", "DAILY_CAP")), new ListCollector<>(treated));
    FunnelEvent.ofDecision(
        decision(
            true,
            notification("act-2", "DROP", "CONTROL_GROUP"),
            notification("act-3", "SEND", "SENT"),
            notification("act-4", "DEFER", "QUIET_HOURS")),
        new ListCollector<>(control));

    assertThat(treated)
        .extracting(FunnelEvent::kind, FunnelEvent::control)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.EXPOSED, false));
    assertThat(control)
        .extracting(FunnelEvent::kind, FunnelEvent::actionId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.EXPOSED, "act-2"),
            org.assertj.core.groups.Tuple.tuple(Kind.NAMED, "act-3"),
            org.assertj.core.groups.Tuple.tuple(Kind.NAMED, "act-4"));
  }

  @Test
  void anEndedCallCountsForItsAgentWithItsDurationWhenItIsANumber() {
    List<Figure> figures = new ArrayList<>();

    FiguresOf.call(
        call("call_ended", Map.of("agentId", "a-7", "durationSeconds", "95")), sink(figures));
    FiguresOf.call(
        call("call_ended", Map.of("agentId", "a-7", "durationSeconds", "n/a")), sink(figures));
    FiguresOf.call(call("call_started", Map.of("agentId", "a-7")), sink(figures));
    FiguresOf.call(call("call_ended", Map.of("durationSeconds", "30")), sink(figures));

    String a = AnalyticsKeys.agents();
    assertThat(figures)
        .containsExactly(
            new Figure(a, "calls|a-7", 1),
            new Figure(a, "handleSeconds|a-7", 95),
            new Figure(a, "calls|a-7", 1));
  }

  private static ListCollector<Figure> sink(List<Figure> figures) {
    return new ListCollector<>(figures);
  }

  private static Decision decision(boolean control, NotificationDecision... notifications) {
    return Decision.newBuilder()
        .setDecisionId("ann/3")
        .setCustomerId("ann")
        .setSequence(3)
        .setCause("trigger")
        .setDecidedAt(AT)
        .setControlGroup(control)
        .setExplored(false)
        .setChosenProbability(1)
        .setCandidates(List.of())
        .setNotifications(List.of(notifications))
        .build();
  }

  private static NotificationDecision notification(String actionId, String verdict, String reason) {
    return NotificationDecision.newBuilder()
        .setActionId(actionId)
        .setSourceId("sale")
        .setVerdict(verdict)
        .setReason(reason)
        .build();
  }

  private static Touchpoint call(String type, Map<String, String> attributes) {
    return Touchpoint.newBuilder()
        .setEventId("call-" + attributes.hashCode())
        .setCustomerId("ann")
        .setType(type)
        .setChannel("call_center")
        .setSource("test")
        .setAttributes(attributes)
        .setOccurredAt(AT)
        .setReceivedAt(AT)
        .build();
  }
}
