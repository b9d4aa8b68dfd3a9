package dev.engage.jobs.decisions;

import dev.engage.avro.Action;
import dev.engage.avro.Cause;
import dev.engage.avro.Decision;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.NotificationOption;
import dev.engage.avro.ScoredCandidate;
import dev.engage.rules.decisions.Candidate;
import dev.engage.rules.decisions.PolicyOutcome;
import dev.engage.rules.decisions.PolicyStep;
import dev.engage.rules.decisions.RankedAction;
import dev.engage.rules.decisions.Ranking;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The records a decision leaves: the ranked list, the notifications, and the decision itself. */
final class DecisionRecords {
  private static final String ALTERNATIVE = "event.attributes.alternatives.";

  private DecisionRecords() {}

  static NextBestActions actions(
      String customerId, long version, Ranking ranking, Map<String, Cause> causes, Instant now) {
    List<Action> actions = new ArrayList<>();
    for (RankedAction r : ranking.actions()) {
      Candidate c = r.candidate();
      actions.add(
          Action.newBuilder()
              .setActionId(c.actionId())
              .setCode(c.code())
              .setTitle(c.title())
              .setMessage(c.message())
              .setPriority(c.priority())
              .setScore(r.score().total())
              .setReason(r.reason())
              .setRuleId(c.sourceId())
              .setRuleVersion(c.sourceVersion())
              .setAgentVisible(c.agentVisible())
              .setExpiresAt(c.expiresAt())
              .setCause(causes.getOrDefault(c.actionId(), offerCause(c)))
              .build());
    }
    return NextBestActions.newBuilder()
        .setCustomerId(customerId)
        .setVersion(version)
        .setActions(actions)
        .setDecidedAt(now)
        .build();
  }

  /**
   * The notification of an action sent on a channel; its id is derived from the action, so a
   * decision replayed after a restore sends the same id, and delivery sends it at most once.
   */
  static Notification notification(
      String customerId, String notificationId, PolicyOutcome sent, Cause cause, Instant now) {
    Candidate c = sent.candidate();
    return Notification.newBuilder()
        .setNotificationId(notificationId)
        .setCustomerId(customerId)
        .setChannel(sent.channel())
        .setTemplate(c.sourceId())
        .setSubject(c.title())
        .setBody(c.message() == null ? c.title() : c.message())
        .setOptions(options(c.facts()))
        .setActionId(c.actionId())
        .setRuleId(c.sourceId())
        .setRuleVersion(c.sourceVersion())
        .setExpiresAt(c.expiresAt())
        .setPurpose(c.purpose().written())
        .setCreatedAt(now)
        .setCause(cause)
        .build();
  }

  static Decision decision(
      String customerId,
      long sequence,
      String cause,
      boolean control,
      Ranking ranking,
      List<PolicyOutcome> outcomes,
      Map<String, String> notificationIds,
      Instant now) {
    List<ScoredCandidate> candidates = new ArrayList<>();
    for (RankedAction r : ranking.actions()) {
      Candidate c = r.candidate();
      candidates.add(
          ScoredCandidate.newBuilder()
              .setActionId(c.actionId())
              .setCode(c.code())
              .setSourceId(c.sourceId())
              .setOrigin(c.origin().name().toLowerCase(Locale.ROOT))
              .setRank(r.rank())
              .setScore(r.score().total())
              .setPriority(r.score().priority())
              .setPropensity(r.score().propensity())
              .setSegment(r.score().segment())
              .setContext(r.score().context())
              .setValue(r.score().value())
              .setLever(r.score().lever())
              .setReason(r.reason())
              .build());
    }
    List<NotificationDecision> notifications = new ArrayList<>();
    for (PolicyOutcome o : outcomes) {
      boolean sent = o.verdict() == PolicyOutcome.Verdict.SEND;
      notifications.add(
          NotificationDecision.newBuilder()
              .setActionId(o.candidate().actionId())
              .setSourceId(o.candidate().sourceId())
              .setVerdict(o.verdict().name())
              .setReason(o.reason().name())
              .setChannel(o.channel())
              .setNotificationId(sent ? notificationIds.get(o.candidate().actionId()) : null)
              .setUntil(o.verdict() == PolicyOutcome.Verdict.DEFER ? o.at() : null)
              .setSteps(o.steps().stream().map(PolicyStep::toString).toList())
              .build());
    }
    RankedAction chosen = ranking.chosen();
    return Decision.newBuilder()
        .setDecisionId(customerId + "/" + sequence)
        .setCustomerId(customerId)
        .setSequence(sequence)
        .setCause(cause)
        .setDecidedAt(now)
        .setControlGroup(control)
        .setExplored(ranking.explored())
        .setChosenActionId(chosen == null ? null : chosen.candidate().actionId())
        .setChosenProbability(ranking.chosenProbability())
        .setCandidates(candidates)
        .setNotifications(notifications)
        .build();
  }

  /** An offer has no causing event: the offer itself, made when its action opened. */
  static Cause offerCause(Candidate c) {
    return new Cause(c.causeId(), "offer", c.openedAt());
  }

  /**
   * The choices a notification offers: the alternatives a flight disruption lists ({@code
   * alternatives.N.flight}, {@code .flightKey}, {@code .departure}), in order.
   */
  static List<NotificationOption> options(Map<String, String> facts) {
    List<NotificationOption> options = new ArrayList<>();
    for (int i = 0; facts.containsKey(ALTERNATIVE + i + ".flightKey"); i++) {
      String prefix = ALTERNATIVE + i + ".";
      options.add(
          new NotificationOption(
              facts.get(prefix + "flightKey"),
              facts.getOrDefault(prefix + "flight", "")
                  + " departing "
                  + facts.getOrDefault(prefix + "departure", "")));
    }
    return options;
  }
}
