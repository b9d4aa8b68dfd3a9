package dev.engage.rules.decisions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The learned propensities: successes and failures per action code and segment, aggregated over
 * every customer (not per customer: one customer's handful of responses says little, a segment's
 * thousands say much). {@link #ALL_CUSTOMERS} holds every response, whatever the segments.
 *
 * <p>A customer in several segments is estimated with the segment that has seen the action most
 * often (the best-informed estimate), and with {@link #ALL_CUSTOMERS} when none has seen it.
 */
public final class Propensities {
  /** The pseudo-segment every response counts in. */
  public static final String ALL_CUSTOMERS = "*";

  /** Successes and failures of one action in one segment. */
  public record Counts(long successes, long failures) {
    public static final Counts NONE = new Counts(0, 0);

    public long observations() {
      return successes + failures;
    }

    Counts plus(boolean success) {
      return success ? new Counts(successes + 1, failures) : new Counts(successes, failures + 1);
    }
  }

  /** The estimate used for one action and customer, and which segment it came from. */
  public record Estimate(String segment, Counts counts, BetaPosterior posterior) {}

  private final Map<String, Counts> counts = new HashMap<>();
  private final double priorSuccesses;
  private final double priorFailures;

  public Propensities(DecisionSettings settings) {
    this.priorSuccesses = settings.priorSuccesses();
    this.priorFailures = settings.priorFailures();
  }

  /**
   * The key of an action in a segment, as on the {@code propensities} topic: {@code CODE|segment}.
   */
  public static String key(String code, String segment) {
    return code + "|" + segment;
  }

  /** Sets the counts of an action in a segment (as read back from the propensities topic). */
  public void put(String code, String segment, Counts value) {
    counts.put(key(code, segment), value);
  }

  /** Counts one response of a customer in these segments (and in {@link #ALL_CUSTOMERS}). */
  public void record(String code, List<String> segments, boolean success) {
    counts.merge(key(code, ALL_CUSTOMERS), Counts.NONE.plus(success), (a, b) -> a.plus(success));
    for (String segment : segments) {
      counts.merge(key(code, segment), Counts.NONE.plus(success), (a, b) -> a.plus(success));
    }
  }

  public Counts counts(String code, String segment) {
    return counts.getOrDefault(key(code, segment), Counts.NONE);
  }

  /** The posterior of an action for a customer in these segments. */
  public Estimate estimate(String code, List<String> segments) {
    String best = ALL_CUSTOMERS;
    Counts bestCounts = Counts.NONE;
    for (String segment : segments) {
      Counts c = counts(code, segment);
      if (c.observations() > bestCounts.observations()) {
        best = segment;
        bestCounts = c;
      }
    }
    if (bestCounts.observations() == 0) {
      bestCounts = counts(code, ALL_CUSTOMERS);
    }
    return new Estimate(
        best,
        bestCounts,
        BetaPosterior.of(
            priorSuccesses, priorFailures, bestCounts.successes(), bestCounts.failures()));
  }
}
