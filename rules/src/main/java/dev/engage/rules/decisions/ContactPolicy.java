package dev.engage.rules.decisions;

import dev.engage.rules.definition.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before anything is sent, which of a customer's pending notifications go out now, on
 * which channel, which wait (quiet hours, a full cap) and which never go, recording every step with
 * its {@link ReasonCode}. Pending notifications are decided together, best priority x value first,
 * so that when a cap is reached it is the lesser one that waits for the next free slot (or its ttl)
 * instead of whichever came first.
 *
 * <p>In order: the ttl; the control group (marketing only); the rule's or offer's cooldown and a
 * dismissal within it; one notification per cause; the channel (see {@link #channels}); quiet hours
 * in the customer's zone, unless a transactional rule ignores them; the frequency caps (marketing
 * only). Consent is never skipped.
 */
public final class ContactPolicy {
  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::priorityTimesValue)
          .reversed()
          .thenComparing(Candidate::openedAt)
          .thenComparing(Candidate::actionId);

  private final DecisionSettings settings;
  private final FrequencyCaps caps;

  public ContactPolicy(DecisionSettings settings) {
    this.settings = settings;
    this.caps = new FrequencyCaps(settings);
  }

  /**
   * The outcome of each pending notification, best first. A notification decided for sending holds
   * its slot in the history at once, so the ones after it see the cap it used.
   *
   * @param notificationIds the notification id each candidate would be sent under, by action id
   */
  public List<PolicyOutcome> decide(
      List<Candidate> pending,
      ContactPreferences contact,
      ContactHistory history,
      boolean inControlGroup,
      Map<String, String> notificationIds,
      Instant now) {
    List<Candidate> ordered = new ArrayList<>(pending);
    ordered.sort(BEST_FIRST);
    Map<String, Candidate> causeTakenBy = new HashMap<>();
    List<PolicyOutcome> outcomes = new ArrayList<>();
    for (Candidate candidate : ordered) {
      Decision d = new Decision(candidate);
      PolicyOutcome outcome =
          decideOne(d, contact, history, inControlGroup, causeTakenBy, now)
              .orElseGet(() -> send(d, contact, history, notificationIds, now));
      if (outcome.verdict() != PolicyOutcome.Verdict.DROP) {
        causeTakenBy.putIfAbsent(candidate.causeId(), candidate);
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  /** A drop or a deferral before any channel's cap is looked at; empty to go on. */
  private Optional<PolicyOutcome> decideOne(
      Decision d,
      ContactPreferences contact,
      ContactHistory history,
      boolean inControlGroup,
      Map<String, Candidate> causeTakenBy,
      Instant now) {
    Candidate c = d.candidate;
    boolean marketing = c.purpose() == Purpose.MARKETING;
    if (!c.isOpenAt(now)) {
      return d.drop(ReasonCode.EXPIRED, "its ttl ended at " + c.expiresAt());
    }
    if (marketing && inControlGroup) {
      return d.drop(ReasonCode.CONTROL_GROUP, "the customer is in the control group");
    }
    Optional<Instant> lastSent = history.lastSentBy(c.sourceId());
    if (lastSent.isPresent() && within(lastSent.get(), c.cooldown(), now)) {
      return d.drop(
          ReasonCode.COOLDOWN,
          c.sourceId() + " already notified at " + lastSent.get() + ", cooldown " + c.cooldown());
    }
    Optional<Instant> dismissed = history.lastDismissal(c.sourceId());
    if (dismissed.isPresent() && within(dismissed.get(), c.cooldown(), now)) {
      return d.drop(
          ReasonCode.DISMISSED_WITHIN_COOLDOWN,
          "dismissed at " + dismissed.get() + ", cooldown " + c.cooldown());
    }
    Candidate taken = causeTakenBy.get(c.causeId());
    if (taken != null
        && Duration.between(taken.openedAt(), c.openedAt())
                .abs()
                .compareTo(settings.sameCauseWindow())
            <= 0) {
      return d.drop(
          ReasonCode.SAME_CAUSE_BETTER_SCORED,
          taken.sourceId() + " on the same cause " + c.causeId() + " scored higher");
    }
    d.channels = channels(d, contact);
    if (d.channels.isEmpty()) {
      return d.drop(ReasonCode.NO_CONSENTED_CHANNEL, "no channel has the customer's consent");
    }
    if (c.purpose() == Purpose.TRANSACTIONAL && c.ignoresQuietHours()) {
      d.step(ReasonCode.QUIET_HOURS_IGNORED, "transactional, sent even in quiet hours");
      return Optional.empty();
    }
    Optional<Instant> quietUntil = QuietHours.endOf(now, contact);
    if (quietUntil.isPresent()) {
      return c.isOpenAt(quietUntil.get())
          ? d.defer(
              ReasonCode.QUIET_HOURS,
              quietUntil.get(),
              "quiet hours "
                  + contact.quietFrom()
                  + "-"
                  + contact.quietUntil()
                  + " "
                  + contact.zone()
                  + " end at "
                  + quietUntil.get())
          : d.drop(
              ReasonCode.EXPIRES_IN_QUIET_HOURS,
              "its ttl ends at " + c.expiresAt() + ", before quiet hours end");
    }
    return Optional.empty();
  }

  /** The first channel whose cap has a slot; a deferral or drop when none has. */
  private PolicyOutcome send(
      Decision d,
      ContactPreferences contact,
      ContactHistory history,
      Map<String, String> notificationIds,
      Instant now) {
    Candidate c = d.candidate;
    boolean capped = c.purpose() == Purpose.MARKETING;
    if (!capped) {
      d.step(ReasonCode.TRANSACTIONAL_UNCAPPED, "transactional: frequency caps do not apply");
    }
    // an explicitly requested channel waits for its slot; preferred takes the next one with a slot
    List<String> tried = c.channels().contains("preferred") ? d.channels : d.channels.subList(0, 1);
    Instant freesAt = null;
    for (String channel : tried) {
      Optional<FrequencyCaps.Capped> full =
          capped ? caps.check(channel, now, contact, history) : Optional.empty();
      if (full.isEmpty()) {
        String id = notificationIds.getOrDefault(c.actionId(), c.actionId());
        history.reserve(new ContactHistory.Sent(id, c.sourceId(), channel, capped, now));
        d.step(ReasonCode.SENT, "on " + channel);
        return d.outcome(PolicyOutcome.Verdict.SEND, channel, now);
      }
      d.step(full.get().reason(), channel + " is full until " + full.get().freesAt());
      freesAt =
          freesAt == null || full.get().freesAt().isBefore(freesAt)
              ? full.get().freesAt()
              : freesAt;
    }
    return c.isOpenAt(freesAt)
        ? d.defer(ReasonCode.WAITS_FOR_FREE_SLOT, freesAt, "until " + freesAt).orElseThrow()
        : d.drop(
                ReasonCode.EXPIRES_BEFORE_FREE_SLOT,
                "its ttl ends at " + c.expiresAt() + ", before the next slot at " + freesAt)
            .orElseThrow();
  }

  /**
   * The consented channels to try, best first: each requested channel in turn ({@code preferred}:
   * the declared channel, then the learned one), then the fallback order. A requested channel
   * without consent is recorded and skipped: consent will not come back by waiting.
   */
  private List<String> channels(Decision d, ContactPreferences contact) {
    Set<String> channels = new LinkedHashSet<>();
    for (String wanted : d.candidate.channels()) {
      if (!wanted.equals("preferred")) {
        addIfConsented(d, contact, channels, wanted, ReasonCode.REQUESTED_CHANNEL);
        continue;
      }
      if (contact.declaredChannel() != null) {
        addIfConsented(
            d, contact, channels, contact.declaredChannel(), ReasonCode.PREFERRED_DECLARED);
      }
      if (contact.learnedChannel() != null) {
        addIfConsented(
            d, contact, channels, contact.learnedChannel(), ReasonCode.PREFERRED_LEARNED);
      }
    }
    for (String fallback : settings.fallbackOrder()) {
      if (contact.consents(fallback) && channels.add(fallback)) {
        if (channels.size() == 1) {
          d.step(ReasonCode.FALLBACK, fallback + ", the first consented of the fallback order");
        }
      }
    }
    return new ArrayList<>(channels);
  }

  private static void addIfConsented(
      Decision d,
      ContactPreferences contact,
      Set<String> channels,
      String channel,
      ReasonCode chosen) {
    if (!contact.consents(channel)) {
      d.step(ReasonCode.NO_CONSENT, channel + " has no consent");
    } else if (channels.add(channel) && channels.size() == 1) {
      d.step(chosen, channel);
    }
  }

  private static boolean within(Instant since, Duration window, Instant now) {
    return now.isBefore(since.plus(window));
  }

  /** The steps taken so far for one candidate. */
  private static final class Decision {
    final Candidate candidate;
    final List<PolicyStep> steps = new ArrayList<>();
    List<String> channels = List.of();

    Decision(Candidate candidate) {
      this.candidate = candidate;
    }

    void step(ReasonCode code, String detail) {
      steps.add(new PolicyStep(code, detail));
    }

    Optional<PolicyOutcome> drop(ReasonCode code, String detail) {
      step(code, detail);
      return Optional.of(outcome(PolicyOutcome.Verdict.DROP, null, null));
    }

    Optional<PolicyOutcome> defer(ReasonCode code, Instant until, String detail) {
      step(code, detail);
      return Optional.of(outcome(PolicyOutcome.Verdict.DEFER, null, until));
    }

    PolicyOutcome outcome(PolicyOutcome.Verdict verdict, String channel, Instant at) {
      return new PolicyOutcome(candidate, verdict, channel, at, steps);
    }
  }
}
