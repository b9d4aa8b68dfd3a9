package dev.engage.jobs.triggers;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * One rule's metrics, under {@code rule.<id>}: {@code firings} (a counter) and {@code freshnessMs},
 * a histogram of the time from the newest cause's receivedAt to the firing, over its last 1,000
 * firings. {@code engage rules list} reads them from Flink's REST API.
 */
final class RuleMetrics {
  private final Counter firings;
  private final Histogram freshnessMs;

  RuleMetrics(MetricGroup operator, String ruleId) {
    MetricGroup rule = operator.addGroup("rule", ruleId);
    firings = rule.counter("firings");
    freshnessMs = rule.histogram("freshnessMs", new DescriptiveStatisticsHistogram(1000));
  }

  /** A firing; {@code newestReceivedAt} is 0 when it had no causing event (a profile change). */
  void fired(long newestReceivedAt, long now) {
    firings.inc();
    if (newestReceivedAt > 0) {
      freshnessMs.update(now - newestReceivedAt);
    }
  }
}
