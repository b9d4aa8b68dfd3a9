package dev.engage.jobs.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** Sends at a steady rate from the calling thread, parked between sends, not spinning. */
final class Pacing {
  private Pacing() {}

  /** Calls {@code send} with 0 to {@code count - 1}, the i-th at start + i / rate. */
  static void run(int count, double ratePerSecond, IntConsumer send) {
    long start = System.nanoTime();
    double intervalNanos = 1e9 / ratePerSecond;
    for (int i = 0; i < count; i++) {
      long due = start + (long) (i * intervalNanos);
      // on two cores a spinning sender would take one from the job it measures
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      send.accept(i);
    }
  }
}
