package dev.engage.ingestion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingestion counters, per source, as Prometheus exposes them: {@code
 * engage_ingest_events_total{source, outcome}} with outcome accepted (became a touchpoint),
 * rejected (went to the DLQ), failed (a processor threw on it; went to the DLQ), deduplicated
 * (dropped as a repeat) or bot (a crawler's, dropped by the collector), plus refused identity
 * links.
 */
public final class IngestionMetrics {
  private final MeterRegistry registry;

  public IngestionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void accepted(String source) {
    counter(source, "accepted").increment();
  }

  public void rejected(String source) {
    counter(source, "rejected").increment();
  }

  /** A record a processor threw on unexpectedly (sent to the DLQ by {@code UnexpectedFailures}). */
  public void failed(String source) {
    counter(source, "failed").increment();
  }

  public void deduplicated(String source) {
    counter(source, "deduplicated").increment();
  }

  public void bot(String source) {
    counter(source, "bot").increment();
  }

  public void linkRefused(String namespace) {
    registry.counter("engage_identity_links_refused_total", "namespace", namespace).increment();
  }

  public void merged(String reason) {
    registry.counter("engage_identity_merges_total", "reason", reason).increment();
  }

  public double count(String source, String outcome) {
    return counter(source, outcome).count();
  }

  private Counter counter(String source, String outcome) {
    return registry.counter("engage_ingest_events", "source", source, "outcome", outcome);
  }
}
