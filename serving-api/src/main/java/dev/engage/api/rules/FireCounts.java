package dev.engage.api.rules;

import dev.engage.avro.TriggerFired;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each trigger rule fired, counted from the {@code triggers} topic: in total, in the last
 * 24 hours, and when last. The trigger job writes at least once, so a firing can arrive twice; its
 * event id is deterministic, and a repeat within the last {@value #DEDUP_WINDOW} event ids is
 * ignored. A duplicate older than that window counts twice (memory stays bounded; replays after a
 * job restart repeat recent firings, not old ones).
 *
 * <p>Counts are by rule id across versions, since the API started reading the topic from its
 * beginning (within the topic's retention). State per rule: a total, the last time, and at most one
 * counter per minute of the last 24 hours.
 */
public final class FireCounts {
  static final int DEDUP_WINDOW = 100_000;
  private static final Duration DAY = Duration.ofHours(24);

  private final Clock clock;
  private final RecentIds seen = new RecentIds(DEDUP_WINDOW);
  private final Map<String, RuleFirings> byRule = new HashMap<>();

  public FireCounts(Clock clock) {
    this.clock = clock;
  }

  /** A rule's figures; zero and no time for a rule that never fired. */
  public record Fired(long total, long last24h, Instant lastFiredAt) {
    static final Fired NEVER = new Fired(0, 0, null);
  }

  /** Counts a firing unless its event id was seen recently. */
  public synchronized void record(TriggerFired fired) {
    if (!seen.add(fired.getEventId())) {
      return;
    }
    byRule
        .computeIfAbsent(fired.getRuleId(), id -> new RuleFirings())
        .add(fired.getFiredAt(), clock.instant().minus(DAY));
  }

  public synchronized Fired of(String ruleId) {
    RuleFirings firings = byRule.get(ruleId);
    return firings == null ? Fired.NEVER : firings.figures(clock.instant().minus(DAY));
  }

  /** One rule's firings: a total, the latest time, and counts per minute for the last day. */
  private static final class RuleFirings {
    private long total;
    private Instant last;
    private final TreeMap<Long, Long> perMinute = new TreeMap<>();

    void add(Instant firedAt, Instant dayAgo) {
      total++;
      if (last == null || firedAt.isAfter(last)) {
        last = firedAt;
      }
      if (!firedAt.isBefore(dayAgo)) {
        perMinute.merge(minute(firedAt), 1L, Long::sum);
      }
      forgetBefore(dayAgo);
    }

    Fired figures(Instant dayAgo) {
      forgetBefore(dayAgo);
      long recent = perMinute.values().stream().mapToLong(Long::longValue).sum();
      return new Fired(total, recent, last);
    }

    // minute granularity: a firing leaves the 24 h figure up to a minute late
    private void forgetBefore(Instant dayAgo) {
      perMinute.headMap(minute(dayAgo)).clear();
    }

    private static long minute(Instant at) {
      return at.getEpochSecond() / 60;
    }
  }
}
