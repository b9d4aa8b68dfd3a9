package dev.engage.jobs.decisions;

import dev.engage.avro.Cause;
import dev.engage.avro.DecisionState;
import dev.engage.avro.OpenAction;
import dev.engage.avro.SentSlot;
import dev.engage.rules.decisions.Candidate;
import dev.engage.rules.decisions.ContactHistory;
import dev.engage.rules.definition.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decision core's types (open actions, contact history) to and from their Avro form in Flink
 * state.
 */
final class DecisionStateConversion {
  private DecisionStateConversion() {}

  static OpenAction toState(Candidate c, Cause cause) {
    return OpenAction.newBuilder()
        .setActionId(c.actionId())
        .setRuleId(c.sourceId())
        .setRuleVersion(c.sourceVersion())
        .setCode(c.code())
        .setTitle(c.title())
        .setMessage(c.message())
        .setPriority(c.priority())
        .setValue(c.value())
        .setPurpose(c.purpose().written())
        .setChannels(new ArrayList<>(c.channels()))
        .setAgentVisible(c.agentVisible())
        .setOpenedAt(c.openedAt().toEpochMilli())
        .setExpiresAt(c.expiresAt().toEpochMilli())
        .setCooldownMillis(c.cooldown().toMillis())
        .setIgnoresQuietHours(c.ignoresQuietHours())
        .setExplanation(c.explanation())
        .setFacts(new HashMap<>(c.facts()))
        .setCause(cause)
        .build();
  }

  static Candidate candidate(OpenAction a) {
    return new Candidate(
        a.getActionId(),
        Candidate.Origin.TRIGGER,
        a.getRuleId(),
        a.getRuleVersion(),
        a.getCode(),
        a.getTitle(),
        a.getMessage(),
        a.getPriority(),
        a.getValue(),
        Purpose.valueOf(a.getPurpose().toUpperCase(Locale.ROOT)),
        a.getChannels(),
        a.getAgentVisible(),
        Instant.ofEpochMilli(a.getOpenedAt()),
        Instant.ofEpochMilli(a.getExpiresAt()),
        Duration.ofMillis(a.getCooldownMillis()),
        a.getIgnoresQuietHours(),
        a.getCause().getEventId(),
        a.getExplanation(),
        a.getFacts());
  }

  static ContactHistory history(DecisionState state) {
    List<ContactHistory.Sent> sent = new ArrayList<>();
    for (SentSlot s : state.getSent()) {
      sent.add(
          new ContactHistory.Sent(
              s.getNotificationId(),
              s.getSourceId(),
              s.getChannel(),
              s.getCapped(),
              Instant.ofEpochMilli(s.getAt())));
    }
    Map<String, Instant> dismissed = new HashMap<>();
    state.getDismissed().forEach((id, at) -> dismissed.put(id, Instant.ofEpochMilli(at)));
    return new ContactHistory(sent, dismissed);
  }

  static void keep(ContactHistory history, DecisionState state) {
    List<SentSlot> sent = new ArrayList<>();
    for (ContactHistory.Sent s : history.sent()) {
      sent.add(
          new SentSlot(
              s.notificationId(), s.sourceId(), s.channel(), s.capped(), s.at().toEpochMilli()));
    }
    Map<String, Long> dismissed = new HashMap<>();
    history.dismissed().forEach((id, at) -> dismissed.put(id, at.toEpochMilli()));
    state.setSent(sent);
    state.setDismissed(dismissed);
  }
}
