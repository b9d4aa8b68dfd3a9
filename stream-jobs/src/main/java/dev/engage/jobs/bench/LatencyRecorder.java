package dev.engage.jobs.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Times what a benchmark sends, per customer (by index), until a probe sees its result arrive: an
 * HdrHistogram of microseconds and a count of what arrived. Thread-safe: the sender and the probe's
 * listener thread use it at once.
 */
final class LatencyRecorder {
  private final AtomicLongArray sentAt;
  private final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
  private volatile CountDownLatch arrived = new CountDownLatch(0);

  LatencyRecorder(int customers) {
    this.sentAt = new AtomicLongArray(customers);
  }

  /** Expects {@code count} arrivals from now on. */
  void expect(int count) {
    arrived = new CountDownLatch(count);
  }

  /** Call just before sending what the customer's result will answer. */
  void sending(int customer) {
    sentAt.set(customer, System.nanoTime());
  }

  /** The customer's result arrived (only the first arrival after a send counts). */
  void arrivedFor(int customer) {
    long now = System.nanoTime();
    long sent = sentAt.getAndSet(customer, 0);
    if (sent != 0) {
      synchronized (this) {
        micros.recordValue(Math.min((now - sent) / 1_000, micros.getHighestTrackableValue()));
      }
      arrived.countDown();
    }
  }

  boolean awaitAll(long seconds) throws InterruptedException {
    return arrived.await(seconds, TimeUnit.SECONDS);
  }

  /** How many of the {@code expected} arrived so far. */
  long arrived(int expected) {
    return expected - arrived.getCount();
  }

  synchronized Histogram micros() {
    return micros.copy();
  }

  /** p50, p99 and max in milliseconds, and how many of {@code expected} arrived. */
  Map<String, Object> figures(double ratePerSecond, int expected) {
    Histogram h = micros();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("ratePerSecond", Math.round(ratePerSecond));
    figures.put("sent", expected);
    figures.put("arrived", arrived(expected));
    figures.put("p50Millis", h.getValueAtPercentile(50) / 1000.0);
    figures.put("p99Millis", h.getValueAtPercentile(99) / 1000.0);
    figures.put("maxMillis", h.getMaxValue() / 1000.0);
    return figures;
  }

  /** The figures as one line: {@code p50 1.2 ms, p99 3.4 ms, max 5.6 ms (9 of 9 arrived)}. */
  String summary(int expected) {
    Histogram h = micros();
    return String.format(
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d of %,d arrived)",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        arrived(expected),
        expected);
  }

  /** The customer index at the end of a benchmark's customer id ({@code bench-...-42}). */
  static int customerIndex(String customerId) {
    return Integer.parseInt(customerId.substring(customerId.lastIndexOf('-') + 1));
  }
}
