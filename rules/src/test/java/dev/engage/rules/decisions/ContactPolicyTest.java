package dev.engage.rules.decisions;

import static dev.engage.rules.decisions.QuietHoursTest.berlin;
import static dev.engage.rules.decisions.TestCandidates.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.rules.decisions.PolicyOutcome.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContactPolicyTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NOON = berlin("2026-12-02T12:00");

  private final ContactPolicy policy = new ContactPolicy(DecisionSettings.defaults());
  private final ContactHistory history = new ContactHistory();

  @Test
  void aCustomerWithQuietHours22To07BerlinNotifiedAt2330BerlinIsDeferredTo0700() {
    Instant late = berlin("2026-12-02T23:30");

    PolicyOutcome outcome = decideOne(rule("rebook", 90, 1, "sms", late), smsOnly(), late);

    assertThat(outcome.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(outcome.at()).isEqualTo(berlin("2026-12-03T07:00"));
    assertThat(outcome.reason()).isEqualTo(ReasonCode.QUIET_HOURS);
    assertThat(history.sent()).isEmpty();
  }

  @Test
  void atTheEndOfQuietHoursTheDeferredNotificationIsSent() {
    Candidate rebook = rule("rebook", 90, 1, "sms", berlin("2026-12-02T23:30"));

    PolicyOutcome outcome = decideOne(rebook, smsOnly(), berlin("2026-12-03T07:00"));

    assertThat(outcome.verdict()).isEqualTo(Verdict.SEND);
    assertThat(outcome.channel()).isEqualTo("sms");
  }

  @Test
  void aNotificationWhoseTtlEndsBeforeTheQuietHoursIsDropped() {
    Instant late = berlin("2026-12-02T23:30");
    Candidate shortLived =
        TestCandidates.expiringAt(rule("flash", 50, 1, "sms", late), late.plusSeconds(3600));

    PolicyOutcome outcome = decideOne(shortLived, smsOnly(), late);

    assertThat(outcome.verdict()).isEqualTo(Verdict.DROP);
    assertThat(outcome.reason()).isEqualTo(ReasonCode.EXPIRES_IN_QUIET_HOURS);
  }

  @Test
  void aTransactionalRuleMayGoThroughQuietHoursButAMarketingOneNever() {
    Instant late = berlin("2026-12-02T23:30");
    Candidate cancelled = TestCandidates.transactional(rule("cancelled", 90, 1, "sms", late), true);

    assertThat(decideOne(cancelled, smsOnly(), late).verdict()).isEqualTo(Verdict.SEND);
    Candidate reminder =
        TestCandidates.transactional(rule("payment-due", 90, 1, "sms", late), false);
    assertThat(decideOne(reminder, smsOnly(), late).verdict()).isEqualTo(Verdict.DEFER);
  }

  @Test
  void aCustomerWhoWithdrewEmailConsentGetsTheInAppFallbackAndTheTraceSaysWhy() {
    ContactPreferences noEmail =
        new ContactPreferences(false, false, false, "email", null, BERLIN, null, null);

    PolicyOutcome outcome = decideOne(rule("cart", 60, 1, "email", NOON), noEmail, NOON);

    assertThat(outcome.verdict()).isEqualTo(Verdict.SEND);
    assertThat(outcome.channel()).isEqualTo("in_app");
    assertThat(outcome.steps())
        .extracting(PolicyStep::code)
        .containsExactly(ReasonCode.NO_CONSENT, ReasonCode.FALLBACK, ReasonCode.SENT);
    assertThat(outcome.steps().get(0).detail()).isEqualTo("email has no consent");
  }

  @Test
  void preferredIsTheDeclaredChannelThenTheLearnedOneThenTheFallbackOrder() {
    ContactPreferences declared =
        new ContactPreferences(true, true, false, "sms", "email", BERLIN, null, null);
    ContactPreferences declaredWithoutConsent =
        new ContactPreferences(true, false, false, "sms", "email", BERLIN, null, null);
    ContactPreferences nothingConsented =
        new ContactPreferences(false, false, false, "sms", "email", BERLIN, null, null);
    Instant later = NOON.plus(Duration.ofDays(2));
    Instant latest = NOON.plus(Duration.ofDays(4));

    assertThat(decideOne(rule("cart", 60, 1, "preferred", NOON), declared, NOON).channel())
        .isEqualTo("sms");
    PolicyOutcome learned =
        decideOne(rule("cart", 60, 1, "preferred", later), declaredWithoutConsent, later);
    assertThat(learned.channel()).isEqualTo("email");
    assertThat(learned.steps())
        .extracting(PolicyStep::code)
        .containsExactly(ReasonCode.NO_CONSENT, ReasonCode.PREFERRED_LEARNED, ReasonCode.SENT);
    assertThat(
            decideOne(rule("cart", 60, 1, "preferred", latest), nothingConsented, latest).channel())
        .isEqualTo("in_app");
  }

  @Test
  void threeTriggersInAMinuteUnderAnSmsCapOfOneADaySendOnlyTheBestPriorityTimesValue() {
    Candidate low = rule("low", 30, 2, "sms", NOON);
    Candidate best = rule("best", 80, 3, "sms", NOON.plusSeconds(20));
    Candidate middle = rule("middle", 90, 1, "sms", NOON.plusSeconds(40));

    List<PolicyOutcome> outcomes =
        policy.decide(
            List.of(low, best, middle), smsOnly(), history, false, Map.of(), NOON.plusSeconds(45));

    assertThat(outcomes)
        .extracting(o -> o.candidate().sourceId())
        .containsExactly("best", "middle", "low");
    assertThat(outcomes)
        .extracting(PolicyOutcome::verdict)
        .containsExactly(Verdict.SEND, Verdict.DEFER, Verdict.DEFER);
    assertThat(outcomes.get(1).at()).isEqualTo(berlin("2026-12-03T00:00"));
    assertThat(outcomes.get(1).steps())
        .extracting(PolicyStep::code)
        .containsExactly(
            ReasonCode.REQUESTED_CHANNEL,
            ReasonCode.DAILY_CAP_REACHED,
            ReasonCode.WAITS_FOR_FREE_SLOT);
  }

  @Test
  void aPreferredNotificationTakesTheNextConsentedChannelWithAFreeSlot() {
    ContactPreferences smsAndEmail =
        new ContactPreferences(true, true, false, "sms", null, BERLIN, null, null);
    decideOne(rule("first", 90, 1, "sms", NOON), smsAndEmail, NOON);

    PolicyOutcome second = decideOne(rule("second", 50, 1, "preferred", NOON), smsAndEmail, NOON);

    assertThat(second.channel()).isEqualTo("in_app");
    assertThat(second.steps()).extracting(PolicyStep::code).contains(ReasonCode.DAILY_CAP_REACHED);
  }

  @Test
  void dailyCapsCountCalendarDaysInTheCustomersZoneNotTwentyFourHours() {
    decideOne(
        rule("evening", 50, 1, "sms", berlin("2026-12-02T21:00")),
        smsOnlyAllDay(),
        berlin("2026-12-02T21:00"));

    PolicyOutcome sameDay =
        decideOne(
            rule("late", 50, 1, "sms", berlin("2026-12-02T23:50")),
            smsOnlyAllDay(),
            berlin("2026-12-02T23:50"));
    PolicyOutcome nextDay =
        decideOne(
            rule("early", 50, 1, "sms", berlin("2026-12-03T00:10")),
            smsOnlyAllDay(),
            berlin("2026-12-03T00:10"));

    assertThat(sameDay.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(nextDay.verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void theWeeklyCapAcrossChannelsWaitsForTheCustomersNextMonday() {
    Instant wednesday = berlin("2026-12-02T12:00");
    for (int day = 0; day < 7; day++) {
      // two pushes and two emails (their daily caps) and three in-app messages
      String channel =
          List.of("push", "email", "in_app", "push", "email", "in_app", "in_app").get(day);
      Instant at = wednesday.plus(Duration.ofHours(day));
      assertThat(decideOne(rule("r" + day, 50, 1, channel, at), allConsented(), at).verdict())
          .isEqualTo(Verdict.SEND);
    }

    PolicyOutcome eighth =
        decideOne(
            TestCandidates.expiringAt(
                rule("r8", 50, 1, "in_app", wednesday), wednesday.plus(Duration.ofDays(7))),
            allConsented(),
            wednesday.plus(Duration.ofHours(8)));

    assertThat(eighth.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(eighth.at()).isEqualTo(berlin("2026-12-07T00:00"));
    assertThat(eighth.steps()).extracting(PolicyStep::code).contains(ReasonCode.WEEKLY_CAP_REACHED);
  }

  @Test
  void aCappedNotificationWhoseTtlEndsBeforeTheNextSlotIsDropped() {
    decideOne(rule("first", 90, 1, "sms", NOON), smsOnlyAllDay(), NOON);
    Candidate flash =
        TestCandidates.expiringAt(rule("flash", 50, 1, "sms", NOON), NOON.plusSeconds(3600));

    PolicyOutcome outcome = decideOne(flash, smsOnlyAllDay(), NOON);

    assertThat(outcome.verdict()).isEqualTo(Verdict.DROP);
    assertThat(outcome.reason()).isEqualTo(ReasonCode.EXPIRES_BEFORE_FREE_SLOT);
  }

  @Test
  void transactionalSkipsCapsAndTheControlGroupButNeverConsent() {
    decideOne(rule("first", 90, 1, "sms", NOON), smsOnlyAllDay(), NOON);
    Candidate cancelled =
        TestCandidates.transactional(rule("cancelled", 90, 1, "sms", NOON), false);

    PolicyOutcome sent =
        policy.decide(List.of(cancelled), smsOnlyAllDay(), history, true, Map.of(), NOON).get(0);
    PolicyOutcome noConsent =
        policy
            .decide(
                List.of(TestCandidates.transactional(rule("other", 90, 1, "sms", NOON), false)),
                new ContactPreferences(false, false, false, null, null, BERLIN, null, null),
                history,
                true,
                Map.of(),
                NOON)
            .get(0);

    assertThat(sent.verdict()).isEqualTo(Verdict.SEND);
    assertThat(sent.steps())
        .extracting(PolicyStep::code)
        .contains(ReasonCode.TRANSACTIONAL_UNCAPPED);
    assertThat(noConsent.channel()).isEqualTo("in_app");
    assertThat(noConsent.steps()).extracting(PolicyStep::code).startsWith(ReasonCode.NO_CONSENT);
  }

  @Test
  void aControlGroupCustomerIsSentNoMarketing() {
    PolicyOutcome outcome =
        policy
            .decide(
                List.of(rule("cart", 60, 1, "sms", NOON)), smsOnly(), history, true, Map.of(), NOON)
            .get(0);

    assertThat(outcome.verdict()).isEqualTo(Verdict.DROP);
    assertThat(outcome.reason()).isEqualTo(ReasonCode.CONTROL_GROUP);
  }

  @Test
  void aRuleNotifiesACustomerAtMostOncePerCooldown() {
    decideOne(rule("cart", 60, 1, "in_app", NOON), smsOnly(), NOON);

    PolicyOutcome again =
        decideOne(
            rule("cart", 60, 1, "in_app", NOON.plusSeconds(3600)),
            smsOnly(),
            NOON.plusSeconds(3600));
    PolicyOutcome later =
        decideOne(
            rule("cart", 60, 1, "in_app", NOON.plus(Duration.ofDays(1))),
            smsOnly(),
            NOON.plus(Duration.ofDays(1)));

    assertThat(again.reason()).isEqualTo(ReasonCode.COOLDOWN);
    assertThat(later.verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void aDismissedActionIsNotOfferedAgainWithinItsCooldown() {
    history.dismissedAt("cart", NOON);

    assertThat(
            decideOne(
                    rule("cart", 60, 1, "in_app", NOON.plusSeconds(60)),
                    smsOnly(),
                    NOON.plusSeconds(60))
                .reason())
        .isEqualTo(ReasonCode.DISMISSED_WITHIN_COOLDOWN);
  }

  @Test
  void severalRulesFiringOnTheSameCauseWithinTheWindowGiveOneNotificationTheBestScored() {
    Candidate delay = TestCandidates.withCause(rule("delay", 60, 1, "in_app", NOON), "ev-1");
    Candidate rebook =
        TestCandidates.withCause(rule("rebook", 90, 1, "in_app", NOON.plusSeconds(30)), "ev-1");
    Candidate unrelated = rule("welcome", 10, 1, "in_app", NOON);

    List<PolicyOutcome> outcomes =
        policy.decide(
            List.of(delay, rebook, unrelated),
            smsOnly(),
            history,
            false,
            Map.of(),
            NOON.plusSeconds(40));

    assertThat(outcomes)
        .extracting(o -> o.candidate().sourceId() + " " + o.verdict())
        .containsExactly("rebook SEND", "delay DROP", "welcome SEND");
    assertThat(outcomes.get(1).reason()).isEqualTo(ReasonCode.SAME_CAUSE_BETTER_SCORED);
  }

  @Test
  void aSlotGivenBackByAFailedDeliveryIsFreeAgain() {
    decideOne(rule("first", 90, 1, "sms", NOON), smsOnlyAllDay(), NOON);
    String id = history.sent().get(0).notificationId();

    assertThat(history.release(id)).isTrue();
    assertThat(decideOne(rule("second", 50, 1, "sms", NOON), smsOnlyAllDay(), NOON).verdict())
        .isEqualTo(Verdict.SEND);
  }

  @Test
  void anExpiredActionIsNeverSent() {
    Candidate cart = rule("cart", 60, 1, "in_app", NOON);

    assertThat(decideOne(cart, smsOnly(), NOON.plus(Duration.ofHours(25))).reason())
        .isEqualTo(ReasonCode.EXPIRED);
  }

  private PolicyOutcome decideOne(Candidate candidate, ContactPreferences contact, Instant now) {
    return policy.decide(List.of(candidate), contact, history, false, Map.of(), now).get(0);
  }

  private static ContactPreferences smsOnly() {
    return new ContactPreferences(
        false, true, false, "sms", null, BERLIN, LocalTime.of(22, 0), LocalTime.of(7, 0));
  }

  private static ContactPreferences smsOnlyAllDay() {
    return new ContactPreferences(false, true, false, "sms", null, BERLIN, null, null);
  }

  private static ContactPreferences allConsented() {
    return new ContactPreferences(true, true, true, null, null, BERLIN, null, null);
  }
}
