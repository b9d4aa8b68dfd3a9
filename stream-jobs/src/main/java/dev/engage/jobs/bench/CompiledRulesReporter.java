package dev.engage.jobs.bench;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for the benchmark's MiniCluster, in the benchmark's JVM: it keeps the
 * trigger operators' {@code compiledRules} gauges, so that the benchmark starts its clock once
 * every subtask has compiled every rule. Compiling is CEL's type checker, about a millisecond a
 * rule; the figure is what evaluation costs with the rules in place, not how long they take to
 * arrive.
 */
public final class CompiledRulesReporter implements MetricReporter, MetricReporterFactory {
  private static final List<Gauge<?>> GAUGES = new CopyOnWriteArrayList<>();

  /** Has the MiniCluster started from {@code conf} report to this class. */
  static void register(Configuration conf) {
    GAUGES.clear();
    conf.setString("metrics.reporter.bench.factory.class", CompiledRulesReporter.class.getName());
  }

  /** Waits until {@code subtasks} trigger operators have compiled {@code rules} rules each. */
  static void awaitCompiled(int subtasks, int rules) throws InterruptedException {
    while (GAUGES.size() < subtasks || compiled() < (long) subtasks * rules) {
      Thread.sleep(20);
    }
  }

  private static long compiled() {
    long sum = 0;
    for (Gauge<?> gauge : GAUGES) {
      sum += ((Number) gauge.getValue()).longValue();
    }
    return sum;
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return this;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (name.equals("compiledRules") && metric instanceof Gauge<?> gauge) {
      GAUGES.add(gauge);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    GAUGES.remove(metric);
  }
}
