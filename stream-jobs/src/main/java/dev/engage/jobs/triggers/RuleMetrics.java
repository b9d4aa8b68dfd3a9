package dev.engage.jobs.triggers;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * One rule's metrics, under {@code rule.<id>}: {@code firings} (a counter), {@code freshnessMs}, a
 * histogram of the time from the newest cause's receivedAt to the firing, over its last 1,000
 * firings, and {@code evaluationErrors}, the runtime errors of its conditions (a division by zero,
 * a bad timestamp; not an attribute the event lacks), each of which counted as not holding. {@code
 * engage rules list} reads them from Flink's REST API.
 */
final class RuleMetrics {
  private final Counter firings;
  private final Histogram freshnessMs;
  private final Counter evaluationErrors;

  RuleMetrics(MetricGroup operator, String ruleId) {
    MetricGroup rule = operator.addGroup("rule", ruleId);
    firings = rule.counter("firings");
    freshnessMs = rule.histogram("freshnessMs", new DescriptiveStatisticsHistogram(1000));
    evaluationErrors = rule.counter("evaluationErrors");
  }

  /** A condition of the rule failed at runtime, and counted as not holding. */
  void evaluationFailed() {
    evaluationErrors.inc();
  }

  /** A firing; {@code newestReceivedAt} is 0 when it had no causing event (a profile change). */
  void fired(long newestReceivedAt, long now) {
    firings.inc();
    if (newestReceivedAt > 0) {
      freshnessMs.update(now - newestReceivedAt);
    }
  }
}
