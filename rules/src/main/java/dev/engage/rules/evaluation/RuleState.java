package dev.engage.rules.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the evaluator remembers for one customer and one rule between events. A plain mutable class
 * with mutable lists, so Flink can keep it in state as a POJO (never through Kryo).
 *
 * <p>Bounded by design: count windows keep at most {@code atLeast} matches, sequences at most one
 * entry per step, absence and deadline one pending case; everything is cleared when a case fires,
 * is cancelled or expires ({@link #isEmpty()} then holds, so the caller can drop it).
 */
public class RuleState {
  /** Version of the rule this state belongs to; state of another version is discarded. */
  public int ruleVersion;

  /** Event times (epoch ms) of the matches kept: count window, sequence steps, pending case. */
  public List<Long> times = new ArrayList<>();

  /** Event ids of those matches, for the explanation. */
  public List<String> eventIds = new ArrayList<>();

  /** When those events were received (epoch ms), for latency and lineage. */
  public List<Long> receivedAts = new ArrayList<>();

  /** Sequence step each match satisfied. */
  public List<Integer> steps = new ArrayList<>();

  /** Event time (epoch ms) at which an absence or deadline case fires; 0 when none is pending. */
  public long pendingUntil;

  /** Threshold: whether the value was past the bound when last seen; null before the first. */
  public Boolean wasPast;

  /** Event time (epoch ms) of the last firing, for the cooldown; 0 when it never fired. */
  public long lastFiredAt;

  /** True when nothing is pending, so the state can be removed. */
  public boolean isEmpty() {
    return times.isEmpty() && pendingUntil == 0;
  }

  /**
   * True when the state holds nothing worth keeping at event time {@code now}: no pending case, no
   * threshold value past its bound (it must not fire again until it has come back), and no cooldown
   * still running.
   */
  public boolean canBeDropped(Duration cooldown, long now) {
    return isEmpty()
        && !Boolean.TRUE.equals(wasPast)
        && (lastFiredAt == 0 || now - lastFiredAt >= cooldown.toMillis());
  }

  void clearMatches() {
    times.clear();
    eventIds.clear();
    receivedAts.clear();
    steps.clear();
    pendingUntil = 0;
  }

  void addMatch(long time, String eventId, long receivedAt, int step) {
    times.add(time);
    eventIds.add(eventId);
    receivedAts.add(receivedAt);
    steps.add(step);
  }

  void removeFirst() {
    times.remove(0);
    eventIds.remove(0);
    receivedAts.remove(0);
    steps.remove(0);
  }
}
