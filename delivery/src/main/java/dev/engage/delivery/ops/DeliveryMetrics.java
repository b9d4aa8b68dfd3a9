package dev.engage.delivery.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * Delivery's Prometheus figures, per channel and provider: {@code engage_delivery_sent_total},
 * {@code _retried_total}, {@code _failed_total}, {@code _in_doubt_total} (sends tried again after a
 * crash left their outcome unknown) and the gauge {@code engage_delivery_queued}.
 */
public final class DeliveryMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public void sent(String channel, String provider) {
    counter("engage.delivery.sent", channel, provider).increment();
  }

  public void retried(String channel, String provider) {
    counter("engage.delivery.retried", channel, provider).increment();
  }

  public void failed(String channel, String provider) {
    counter("engage.delivery.failed", channel, provider).increment();
  }

  public void inDoubt(String channel, String provider) {
    counter("engage.delivery.in.doubt", channel, provider).increment();
  }

  /** Reports the queue length the supplier reads whenever metrics are scraped. */
  public void queued(String channel, String provider, Supplier<Number> length) {
    Gauge.builder("engage.delivery.queued", length)
        .tag("channel", channel)
        .tag("provider", provider)
        .register(registry);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter counter(String name, String channel, String provider) {
    return Counter.builder(name)
        .tag("channel", channel)
        .tag("provider", provider)
        .register(registry);
  }
}
