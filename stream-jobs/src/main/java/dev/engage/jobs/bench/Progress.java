package dev.engage.jobs.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.MapFunction;

/** How far a benchmark job got, sampled from outside the job while it runs. */
final class Progress {
  /**
   * Records counted by {@link #countEveryRecord}. The local MiniCluster runs in the benchmark's
   * JVM, so the job's operators and the benchmark share this counter.
   */
  private static final AtomicLong COUNTED = new AtomicLong();

  private final String bench;
  private final LongSupplier count;
  private final List<long[]> samples = new ArrayList<>(); // {nanos, count}

  private Progress(String bench, LongSupplier count) {
    this.bench = bench;
    this.count = count;
  }

  /** Progress as the records passing {@link #countEveryRecord} (from zero), for the benchmark. */
  static Progress ofCountedRecords(String bench) {
    COUNTED.set(0);
    return new Progress(bench, COUNTED::get);
  }

  /** Progress as any count, for example records in the job's output topic. */
  static Progress of(String bench, LongSupplier count) {
    return new Progress(bench, count);
  }

  /** A map that counts every record passing. */
  static <T> MapFunction<T, T> countEveryRecord() {
    return record -> {
      COUNTED.incrementAndGet();
      return record;
    };
  }

  /** Samples the count every 100 ms until it reaches {@code target}; prints progress. */
  void awaitCount(long target, String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastPrint = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      long count = this.count.getAsLong();
      samples.add(new long[] {now, count});
      if (count >= target) {
        return;
      }
      if (now > deadline) {
        throw new IllegalStateException(
            "%s: only %,d of %,d after %s".formatted(what, count, target, timeout));
      }
      if (now - lastPrint > 5_000_000_000L) {
        System.out.printf("bench %s:   %s %,d of %,d%n", bench, what, count, target);
        lastPrint = now;
      }
      Thread.sleep(100);
    }
  }

  /**
   * The sustained rate (records per second) between the moments the count passed 10% and 90% of
   * {@code target}, leaving out the job's start and its tail.
   */
  double sustainedRate(long target) {
    long[] from = firstAtLeast(target / 10);
    long[] to = firstAtLeast(target * 9 / 10);
    return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
  }

  /** When the first record was counted (nanoTime of the first sample above zero). */
  long firstNanos() {
    return firstAtLeast(1)[0];
  }

  private long[] firstAtLeast(long count) {
    return samples.stream()
        .filter(s -> s[1] >= count)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("never counted " + count));
  }
}
