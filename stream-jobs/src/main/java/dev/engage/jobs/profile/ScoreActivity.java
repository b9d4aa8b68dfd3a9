package dev.engage.jobs.profile;

import dev.engage.avro.DecayedCount;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.scoring.DecayedCounts;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A customer's touchpoint counts per type and channel, decayed with the scoring model's half-life:
 * what the lead score is computed from, in constant space per customer. The counts are kept whether
 * or not a model is published, so a new model scores customers' past activity at once; without a
 * model they decay with {@link #DEFAULT_HALF_LIFE}.
 */
final class ScoreActivity {
  static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(14);

  private ScoreActivity() {}

  /** Counts the touchpoint, decaying the existing count to whichever time is later. */
  static void record(Map<String, DecayedCount> activity, Touchpoint event, Duration halfLife) {
    long at = event.getOccurredAt().toEpochMilli();
    String key = DecayedCounts.key(event.getType(), event.getChannel());
    DecayedCount count = activity.get(key);
    if (count == null) {
      activity.put(key, new DecayedCount(1.0, at));
    } else if (at >= count.getAt()) {
      activity.put(key, new DecayedCount(decayed(count, at, halfLife) + 1.0, at));
    } else { // a late event counts less, as of the newer time
      double late = DecayedCounts.decay(1.0, at, count.getAt(), halfLife);
      activity.put(key, new DecayedCount(count.getCount() + late, count.getAt()));
    }
  }

  /** Every count decayed to {@code at}. */
  static Map<String, Double> at(Map<String, DecayedCount> activity, long at, Duration halfLife) {
    Map<String, Double> counts = new HashMap<>();
    activity.forEach((key, count) -> counts.put(key, decayed(count, at, halfLife)));
    return counts;
  }

  static double decayed(DecayedCount count, long at, Duration halfLife) {
    return DecayedCounts.decay(count.getCount(), count.getAt(), at, halfLife);
  }
}
