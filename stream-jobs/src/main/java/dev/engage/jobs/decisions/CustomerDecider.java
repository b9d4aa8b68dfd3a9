package dev.engage.jobs.decisions;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.DecisionState;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.OpenAction;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.decisions.Arbitration;
import dev.engage.rules.decisions.Candidate;
import dev.engage.rules.decisions.Candidates;
import dev.engage.rules.decisions.ContactHistory;
import dev.engage.rules.decisions.ContactPolicy;
import dev.engage.rules.decisions.ContactPreferences;
import dev.engage.rules.decisions.ControlGroup;
import dev.engage.rules.decisions.DecisionIds;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.rules.decisions.PolicyOutcome;
import dev.engage.rules.decisions.Propensities;
import dev.engage.rules.decisions.Ranking;
import dev.engage.rules.decisions.ResponseOutcome;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One customer's decisions, without Flink: takes what happened (a firing, a response, the passing
 * of time) into the customer's {@link DecisionState}, then decides: drops what expired, gathers the
 * candidates, runs the contact policy over the notifications that are due, ranks, and says what to
 * write and when to wake up next. The operator keeps the state and the timer; this class keeps the
 * logic, so it reads in one place.
 */
final class CustomerDecider {
  /** What one decision produced; any part may be absent. */
  record Outcome(
      NextBestActions actions,
      List<Notification> notifications,
      List<ActionOutcome> outcomes,
      Decision decision,
      Long wakeAt,
      boolean closed) {}

  /** The pseudo-segment of outcomes of customers outside the control group. */
  static final String TREATED = "~treated";

  /** The pseudo-segment of outcomes of control-group customers. */
  static final String CONTROL = "~control";

  private final DecisionSettings settings;
  private final Arbitration arbitration;
  private final ContactPolicy policy;
  private final ControlGroup control;
  private final Propensities propensities;

  CustomerDecider(DecisionSettings settings, Propensities propensities) {
    this.settings = settings;
    this.arbitration = new Arbitration(settings);
    this.policy = new ContactPolicy(settings);
    this.control = new ControlGroup(settings.controlShare());
    this.propensities = propensities;
  }

  /**
   * A fired rule opens its action (once: a replayed firing has the same action id). A rule has one
   * action open per customer: a newer firing supersedes the open one and a notification of it still
   * held, which counts as neither a success nor a failure. Without that, a rule firing on every
   * event of a customer piled up actions, each ranked on every decision, until their ttl.
   */
  void onTrigger(DecisionState state, TriggerFired fired, Rule rule, CustomerProfile profile) {
    Candidate c = Candidates.ofTrigger(fired, rule, profile);
    boolean known = state.getOpen().stream().anyMatch(a -> a.getActionId().equals(c.actionId()));
    if (known || !rule.enabled()) {
      return;
    }
    state
        .getOpen()
        .removeIf(
            a -> {
              boolean superseded = a.getRuleId().equals(rule.id());
              if (superseded) {
                state.getPending().remove(a.getActionId());
              }
              return superseded;
            });
    Cause cause =
        fired.getCauses().isEmpty()
            ? new Cause(fired.getEventId(), "trigger", fired.getFiredAt())
            : fired.getCauses().get(0);
    state.getOpen().add(DecisionStateConversion.toState(c, cause));
    if (c.notifies()) {
      state.getPending().put(c.actionId(), c.openedAt().plus(settings.holdFor()).toEpochMilli());
    }
  }

  /**
   * Accepted or dismissed: the action leaves at once, and a dismissal keeps its rule or offer out
   * for its cooldown; what the customer did is the outcome, for the propensities. Bounced or
   * failed: the notification's cap slot is given back.
   */
  Optional<ActionOutcome> onResponse(
      DecisionState state, Response response, CustomerProfile profile, List<Offer> offers) {
    ContactHistory history = DecisionStateConversion.history(state);
    if (ResponseOutcome.undelivered(response.getType()) && response.getNotificationId() != null) {
      history.release(response.getNotificationId());
    }
    Optional<Boolean> success = ResponseOutcome.of(response.getType());
    Optional<Closed> closed =
        response.getActionId() == null || success.isEmpty()
            ? Optional.empty()
            : closeAction(state, response, offers);
    closed
        .filter(c -> response.getType() == ResponseType.DISMISSED)
        .ifPresent(c -> history.dismissedAt(c.sourceId(), response.getOccurredAt()));
    DecisionStateConversion.keep(history, state);
    return closed.map(
        c ->
            outcome(
                c.code(),
                response.getCustomerId(),
                profile,
                success.get(),
                response.getOccurredAt()));
  }

  /** The rule or offer and the action code of an action closed by a response. */
  private record Closed(String sourceId, String code) {}

  /** Removes the action (a rule's or an offer's); empty when it is not open. */
  private static Optional<Closed> closeAction(
      DecisionState state, Response response, List<Offer> offers) {
    String actionId = response.getActionId();
    for (OpenAction a : state.getOpen()) {
      if (a.getActionId().equals(actionId)) {
        state.getOpen().remove(a);
        state.getPending().remove(actionId);
        return Optional.of(new Closed(a.getRuleId(), a.getCode()));
      }
    }
    for (Offer offer : offers) {
      Long offeredAt = state.getOffered().get(offer.id());
      if (offeredAt != null
          && Candidates.offerActionId(
                  response.getCustomerId(), offer.id(), Instant.ofEpochMilli(offeredAt))
              .equals(actionId)) {
        state.getOffered().remove(offer.id());
        state.getResponded().put(offer.id(), response.getOccurredAt().toEpochMilli());
        state.getPending().remove(actionId);
        return Optional.of(new Closed(offer.id(), offer.code()));
      }
    }
    return Optional.empty();
  }

  /**
   * An outcome that counts in every segment of the customer, over all customers, and in the
   * customer's group ({@link #TREATED} or {@link #CONTROL}), so uplift can be measured.
   */
  private ActionOutcome outcome(
      String code, String customerId, CustomerProfile profile, boolean success, Instant at) {
    List<String> segments = new ArrayList<>();
    segments.add(Propensities.ALL_CUSTOMERS);
    if (profile != null) {
      segments.addAll(profile.getSegments());
    }
    segments.add(control.contains(customerId) ? CONTROL : TREATED);
    return new ActionOutcome(code, segments, success, at);
  }

  /**
   * Decides with what the state holds now.
   *
   * @param rules the enabled rules by id (an open action of a rule deleted since is dropped)
   * @param cause what woke the operator, for the decision record
   */
  Outcome decide(
      String customerId,
      DecisionState state,
      CustomerProfile profile,
      Map<String, Rule> rules,
      List<Offer> offers,
      String cause,
      Instant now) {
    Map<String, Duration> cooldowns = cooldowns(rules, offers);
    ContactHistory history = DecisionStateConversion.history(state);
    history.forgetSentBefore(now.minus(ContactHistory.REMEMBER_SENDS));
    forgetExpiredDismissals(history, state, cooldowns, now);
    List<ActionOutcome> lapsed = expire(state, rules, offers, customerId, profile, now);
    Map<String, Cause> causes = new HashMap<>();
    List<Candidate> candidates = candidates(customerId, state, profile, offers, causes, now);
    boolean inControl = control.contains(customerId);
    List<PolicyOutcome> outcomes = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    List<Candidate> due = due(state, candidates, now);
    due.forEach(c -> ids.put(c.actionId(), DecisionIds.notification(c.actionId())));
    if (!due.isEmpty()) {
      outcomes = policy.decide(due, ContactPreferences.of(profile), history, inControl, ids, now);
      for (PolicyOutcome o : outcomes) {
        String actionId = o.candidate().actionId();
        switch (o.verdict()) {
          case SEND -> {
            state.getPending().remove(actionId);
            Cause why = causes.getOrDefault(actionId, DecisionRecords.offerCause(o.candidate()));
            notifications.add(
                DecisionRecords.notification(customerId, ids.get(actionId), o, why, now));
          }
          case DEFER -> state.getPending().put(actionId, o.at().toEpochMilli());
          case DROP -> state.getPending().remove(actionId);
        }
      }
    }
    DecisionStateConversion.keep(history, state);
    long sequence = state.getDecisions();
    Ranking ranking =
        arbitration.rank(
            customerId + "/" + sequence,
            candidates,
            profile == null ? List.of() : profile.getSegments(),
            propensities);
    List<String> listed = ranking.actions().stream().map(r -> r.candidate().actionId()).toList();
    NextBestActions actions = null;
    if (!listed.equals(state.getListed())) {
      state.setListVersion(state.getListVersion() + 1);
      state.setListed(new ArrayList<>(listed));
      actions = DecisionRecords.actions(customerId, state.getListVersion(), ranking, causes, now);
    }
    Decision decision = null;
    if (actions != null || !outcomes.isEmpty()) {
      state.setDecisions(sequence + 1);
      decision =
          DecisionRecords.decision(
              customerId, sequence, cause, inControl, ranking, outcomes, ids, now);
    }
    return new Outcome(
        actions,
        notifications,
        lapsed,
        decision,
        wakeAt(state, cooldowns, offers),
        isClosed(state));
  }

  private List<Candidate> candidates(
      String customerId,
      DecisionState state,
      CustomerProfile profile,
      List<Offer> offers,
      Map<String, Cause> causes,
      Instant now) {
    List<Candidate> candidates = new ArrayList<>();
    for (OpenAction a : state.getOpen()) {
      candidates.add(DecisionStateConversion.candidate(a));
      causes.put(a.getActionId(), a.getCause());
    }
    Map<String, Instant> responded = instants(state.getResponded());
    Map<String, Instant> offered = instants(state.getOffered());
    for (Candidate offer :
        Candidates.ofOffers(customerId, offers, profile, responded, offered, now)) {
      if (!offered.containsKey(offer.sourceId())) {
        state.getOffered().put(offer.sourceId(), offer.openedAt().toEpochMilli());
        if (offer.notifies()) {
          state
              .getPending()
              .put(offer.actionId(), offer.openedAt().plus(settings.holdFor()).toEpochMilli());
        }
      }
      candidates.add(offer);
    }
    return candidates;
  }

  /** The candidates whose notification is due now; pending entries of closed actions go. */
  private static List<Candidate> due(DecisionState state, List<Candidate> candidates, Instant now) {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    candidates.forEach(c -> byId.put(c.actionId(), c));
    state.getPending().keySet().removeIf(id -> !byId.containsKey(id));
    return state.getPending().entrySet().stream()
        .filter(e -> e.getValue() <= now.toEpochMilli())
        .map(e -> byId.get(e.getKey()))
        .toList();
  }

  /**
   * Drops the open actions past their ttl or of rules no longer enabled, and lets offers lapse at
   * theirs: a lapsed offer counts as responded then, so it comes back after its cooldown. An action
   * left unanswered until its ttl is a failure for the propensities.
   */
  private List<ActionOutcome> expire(
      DecisionState state,
      Map<String, Rule> rules,
      List<Offer> offers,
      String customerId,
      CustomerProfile profile,
      Instant now) {
    long at = now.toEpochMilli();
    List<ActionOutcome> ignored = new ArrayList<>();
    state
        .getOpen()
        .removeIf(
            a -> {
              if (a.getExpiresAt() <= at) {
                ignored.add(
                    outcome(
                        a.getCode(),
                        customerId,
                        profile,
                        false,
                        Instant.ofEpochMilli(a.getExpiresAt())));
                return true;
              }
              return !rules.containsKey(a.getRuleId());
            });
    Map<String, Offer> byId = new HashMap<>();
    offers.forEach(o -> byId.put(o.id(), o));
    state
        .getOffered()
        .entrySet()
        .removeIf(
            e -> {
              Offer offer = byId.get(e.getKey());
              if (offer == null) {
                return true; // deleted or disabled: nothing was decided about it
              }
              long lapses = e.getValue() + offer.ttl().toMillis();
              if (lapses > at) {
                return false;
              }
              state.getResponded().put(e.getKey(), lapses);
              ignored.add(
                  outcome(offer.code(), customerId, profile, false, Instant.ofEpochMilli(lapses)));
              return true;
            });
    return ignored;
  }

  private static void forgetExpiredDismissals(
      ContactHistory history, DecisionState state, Map<String, Duration> cooldowns, Instant now) {
    history
        .dismissed()
        .forEach(
            (id, at) -> {
              if (!now.isBefore(at.plus(cooldowns.getOrDefault(id, Duration.ZERO)))) {
                history.forgetDismissal(id);
              }
            });
    state
        .getResponded()
        .entrySet()
        .removeIf(
            e ->
                now.toEpochMilli()
                    >= e.getValue() + cooldowns.getOrDefault(e.getKey(), Duration.ZERO).toMillis());
  }

  /**
   * The earliest instant something changes by itself: an expiry, a due notification, a forgetting.
   */
  private static Long wakeAt(
      DecisionState state, Map<String, Duration> cooldowns, List<Offer> offers) {
    List<Long> times = new ArrayList<>();
    state.getOpen().forEach(a -> times.add(a.getExpiresAt()));
    offers.stream()
        .filter(o -> state.getOffered().containsKey(o.id()))
        .forEach(o -> times.add(state.getOffered().get(o.id()) + o.ttl().toMillis()));
    times.addAll(state.getPending().values());
    state.getSent().forEach(s -> times.add(s.getAt() + ContactHistory.REMEMBER_SENDS.toMillis()));
    state
        .getDismissed()
        .forEach((id, at) -> times.add(at + cooldowns.getOrDefault(id, Duration.ZERO).toMillis()));
    state
        .getResponded()
        .forEach((id, at) -> times.add(at + cooldowns.getOrDefault(id, Duration.ZERO).toMillis()));
    return times.stream().min(Long::compare).orElse(null);
  }

  private static boolean isClosed(DecisionState state) {
    return state.getOpen().isEmpty()
        && state.getPending().isEmpty()
        && state.getSent().isEmpty()
        && state.getDismissed().isEmpty()
        && state.getResponded().isEmpty()
        && state.getOffered().isEmpty()
        && state.getListed().isEmpty();
  }

  private static Map<String, Duration> cooldowns(Map<String, Rule> rules, List<Offer> offers) {
    Map<String, Duration> cooldowns = new HashMap<>();
    rules.values().forEach(r -> cooldowns.put(r.id(), r.cooldown()));
    offers.forEach(o -> cooldowns.put(o.id(), o.cooldown()));
    return cooldowns;
  }

  private static Map<String, Instant> instants(Map<String, Long> millis) {
    Map<String, Instant> instants = new HashMap<>();
    millis.forEach((id, at) -> instants.put(id, Instant.ofEpochMilli(at)));
    return instants;
  }
}
