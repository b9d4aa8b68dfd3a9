package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LeadScore;
import dev.engage.avro.ProfileState;
import dev.engage.avro.RfmScores;
import dev.engage.avro.WindowTotals;
import dev.engage.jobs.ProfileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * The profile's valuation clock: a quiet customer's time-dependent figures (rolling windows, the
 * 30-day categories, RFM scores, predicted value, segments and lead score) move forward with event
 * time, without a new touchpoint, so a customer who stopped buying loses recency and value, and a
 * segment such as "no purchase for 60 days" is entered on the day it becomes true.
 *
 * <p>The clock is the watermark, as everything else in the profile and the rules goes by when
 * things happened: each customer keeps one event-time timer, a day after the time their figures
 * hold as of ({@code valuedAt}). When the watermark passes it (or, should one of the customer's
 * touchpoints after that time come first, just before it is folded in) the figures are computed
 * again as of the timer's time; a new version is emitted only when a window total, the 30-day
 * categories, an RFM score, a segment or the lead score's value changed (the predicted value moves
 * with them, but its daily drift alone makes no version). The timer is then armed a day later. A
 * customer with events every day costs one timer firing a day that changes nothing.
 *
 * <p><b>What bounds it.</b> One timer per customer; a customer is valued for {@link #SPAN} after
 * their last touchpoint at most, or until their state's time-to-live (processing time) ends it,
 * whichever comes first. The end of a bounded input (the largest watermark) is not time passing and
 * values nobody.
 */
final class ProfileAging {
  static final Duration EVERY = Duration.ofDays(1);
  static final Duration SPAN = Duration.ofDays(365);
  static final String CAUSE_TYPE = "profile_valued";

  private final CustomerState customer;
  private final ProfileDefinitions definitions;
  private final Counter revalued;

  ProfileAging(CustomerState customer, ProfileDefinitions definitions, Counter revalued) {
    this.customer = customer;
    this.definitions = definitions;
    this.revalued = revalued;
  }

  /** After a new version: makes sure the customer's valuation timer is armed. */
  void follow(ProfileState current, TimerService timers) throws Exception {
    if (customer.valuationTimer() == null) {
      Instant valuedAt = ProfileTime.valuedAt(current.getProfile());
      customer.armValuation(timers, valuedAt.plus(EVERY).toEpochMilli());
    }
  }

  /** Values the customer again if this is their valuation timer. */
  void onTimer(long timestamp, TimerService timers, Collector<CustomerProfile> out)
      throws Exception {
    Long armed = customer.valuationTimer();
    if (armed == null || armed != timestamp) {
      return; // a timer of state that has gone since, or that was re-armed
    }
    customer.valuationFired();
    ProfileState current = customer.kept();
    if (current != null && timers.currentWatermark() != Long.MAX_VALUE) {
      value(current, timestamp, timers, out);
    }
  }

  /**
   * Before a touchpoint that happened at {@code at} is folded in: the valuations due before it,
   * whether or not the watermark has reached them yet. Which of a customer's touchpoint and the
   * watermark passing their timer comes first depends on how the source interleaves them; this way
   * the versions are the same either way, so a replay after a restore writes the versions the first
   * run wrote (only a late touchpoint, behind the watermark, can find a valuation made after it).
   * The number of valuations is bounded by the days since the last one, at most {@link #SPAN}.
   */
  void catchUp(
      ProfileState current, Instant at, TimerService timers, Collector<CustomerProfile> out)
      throws Exception {
    Long armed = customer.valuationTimer();
    while (armed != null && armed < at.toEpochMilli()) {
      value(current, armed, timers, out);
      Long next = customer.valuationTimer();
      armed = next != null && next > armed ? next : null;
    }
  }

  /**
   * Values the customer as of {@code due}, with a new version if a figure changed, and arms the
   * next valuation a day later (or none, past {@link #SPAN}).
   */
  private void value(
      ProfileState current, long due, TimerService timers, Collector<CustomerProfile> out)
      throws Exception {
    CustomerProfile profile = current.getProfile();
    Instant asOf = latest(Instant.ofEpochMilli(due), ProfileTime.valuedAt(profile));
    if (Duration.between(profile.getLastSeen(), asOf).compareTo(SPAN) > 0) {
      customer.disarmValuation(timers);
      return;
    }
    customer.armValuation(timers, asOf.plus(EVERY).toEpochMilli());
    if (!asOf.isAfter(ProfileTime.valuedAt(profile))) {
      return; // touchpoints kept the figures up to date
    }
    Figures before = Figures.of(profile);
    profile.setValuedAt(asOf);
    ProfileBuilder.refreshDerived(current);
    definitions.classify(current);
    if (Figures.of(profile).equals(before)) {
      // not written back: the next valuation starts from the same buckets and totals
      return;
    }
    profile.setVersion(profile.getVersion() + 1);
    profile.setLastCause(new Cause(profile.getCustomerId() + "/valued/" + asOf, CAUSE_TYPE, asOf));
    customer.emit(current, stamp(asOf, timers), out);
    revalued.inc();
  }

  /**
   * The version's {@code updatedAt} (and its Kafka record's timestamp): the time it is valued as
   * of, which lies behind the wall clock wherever event time follows it, so that replays stamp it
   * alike. Capped at the wall clock for an event time that runs ahead of it (a client's skewed
   * clock, a simulated year), which the broker would refuse more than an hour ahead and fail the
   * job.
   */
  private static Instant stamp(Instant asOf, TimerService timers) {
    Instant wallClock = Instant.ofEpochMilli(timers.currentProcessingTime());
    return asOf.isAfter(wallClock) ? wallClock : asOf;
  }

  private static Instant latest(Instant one, Instant other) {
    return one.isAfter(other) ? one : other;
  }

  /** What a valuation may change that is worth a new version. */
  private record Figures(
      Map<String, WindowTotals> windows,
      Map<String, Long> categories30d,
      RfmScores rfm,
      List<String> segments,
      Integer leadScore) {
    static Figures of(CustomerProfile profile) {
      LeadScore score = profile.getLeadScore();
      return new Figures(
          profile.getWindows(),
          profile.getCategories30d(),
          profile.getRfm(),
          List.copyOf(profile.getSegments()),
          score == null ? null : score.getScore());
    }
  }
}
