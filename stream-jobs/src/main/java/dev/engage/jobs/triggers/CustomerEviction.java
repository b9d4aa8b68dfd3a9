package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleEvaluationState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * How a customer's trigger state ends: an eviction timer {@code timeToLive} after their last input
 * drops their profile and every rule state but pending absence and deadline cases (their own timers
 * end those), and an erasure drops everything, pending timers included.
 */
final class CustomerEviction {
  /** Eviction timers are rounded up to this, so most inputs find the armed one right. */
  private static final long GRANULARITY_MILLIS = Duration.ofMinutes(1).toMillis();

  private final Duration timeToLive;
  private final ValueState<CustomerProfile> profile;
  private final MapState<String, RuleEvaluationState> evaluation;
  private final ValueState<Long> evictionTimer;

  CustomerEviction(
      Duration timeToLive,
      ValueState<CustomerProfile> profile,
      MapState<String, RuleEvaluationState> evaluation,
      ValueState<Long> evictionTimer) {
    this.timeToLive = timeToLive;
    this.profile = profile;
    this.evaluation = evaluation;
    this.evictionTimer = evictionTimer;
  }

  /**
   * (Re)arms the customer's eviction timer for {@code timeToLive} from now, rounded up to the
   * minute, while they hold a profile or rule state; removes it once they hold neither.
   */
  void keepAliveOrEnd(TimerService timers) throws Exception {
    Long armed = evictionTimer.value();
    long due = -1;
    if (profile.value() != null || !evaluation.isEmpty()) {
      long now = timers.currentProcessingTime();
      long granularity = Math.min(GRANULARITY_MILLIS, timeToLive.toMillis());
      due = ((now + timeToLive.toMillis()) / granularity + 1) * granularity;
    }
    if (armed != null && armed == due) {
      return;
    }
    if (armed != null) {
      timers.deleteProcessingTimeTimer(armed);
      evictionTimer.clear();
    }
    if (due >= 0) {
      timers.registerProcessingTimeTimer(due);
      evictionTimer.update(due);
    }
  }

  /** Evicts the customer if this is their eviction timer. */
  void evictIfDue(long timestamp) throws Exception {
    Long evictAt = evictionTimer.value();
    if (evictAt == null || evictAt != timestamp) {
      return;
    }
    profile.clear();
    evictionTimer.clear();
    List<String> ended = new ArrayList<>();
    for (Map.Entry<String, RuleEvaluationState> entry : evaluation.entries()) {
      if (entry.getValue().getPendingUntil() == 0) {
        ended.add(entry.getKey());
      }
    }
    for (String rule : ended) {
      evaluation.remove(rule);
    }
  }

  /** The customer asked to be forgotten: their profile, rule states and pending timers go. */
  void erase(TimerService timers) throws Exception {
    for (long time : CustomerRuleStates.read(evaluation).pendingTimes()) {
      timers.deleteEventTimeTimer(time);
    }
    profile.clear();
    evaluation.clear();
  }
}
