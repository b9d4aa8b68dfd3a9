package dev.engage.launcher.chaos;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The fault suite's table: faults and recovery times per service, what was sent, lost and doubled,
 * the API's answers, and how long the data and the lag took to be right again.
 */
record ChaosReport(
    Map<String, List<FaultInjector.Recovery>> recoveries,
    List<String> cascades,
    ChaosOutcome outcome,
    long retries,
    Map<String, Long> apiAnswers,
    long apiFailures,
    double settledSeconds,
    long baselineLag,
    long endLag,
    double lagBackSeconds,
    String notRecovered) {

  boolean passed() {
    return outcome.right()
        && apiFailures == 0
        && notRecovered == null
        && cascades.isEmpty()
        && endLag <= baselineLag;
  }

  void print(PrintWriter out) {
    out.println();
    out.println(
        "| service | faults | new process after, max s | ready again after, median s | max s |");
    out.println("|---|---|---|---|---|");
    int faults = 0;
    for (Map.Entry<String, List<FaultInjector.Recovery>> service : recoveries.entrySet()) {
      List<Double> ready = new ArrayList<>();
      double newProcess = 0;
      for (FaultInjector.Recovery recovery : service.getValue()) {
        ready.add(recovery.readySeconds());
        newProcess = Math.max(newProcess, recovery.newProcessSeconds());
      }
      Collections.sort(ready);
      faults += ready.size();
      out.printf(
          "| %s | %d | %s | %s | %s |%n",
          service.getKey(),
          ready.size(),
          ready.isEmpty() ? "-" : String.format("%.1f", newProcess),
          ready.isEmpty() ? "-" : String.format("%.1f", median(ready)),
          ready.isEmpty() ? "-" : String.format("%.1f", ready.get(ready.size() - 1)));
    }
    out.println();
    out.println(
        "| faults | probes sent | lost | doubled | firings | lost | doubled | Redis behind |");
    out.println("|---|---|---|---|---|---|---|---|");
    out.printf(
        "| %d | %,d | %d | %d | %,d | %d | %d | %d |%n",
        faults,
        outcome.sent(),
        outcome.lost(),
        outcome.doubled(),
        outcome.firings(),
        outcome.firingsLost(),
        outcome.firingsDoubled(),
        outcome.redisBehind());
    out.println();
    out.printf("batches the collector did not take and were sent again: %,d%n", retries);
    if (!apiAnswers.isEmpty()) {
      out.printf(
          "API answers: %s; broken promises (500, hang, 503 without Retry-After): %d%n",
          apiAnswers, apiFailures);
    }
    out.printf(
        "the data %s %.1f s after the last probe%n",
        outcome.right() ? "was right" : "was still wrong", settledSeconds);
    out.printf(
        "lag of the stream jobs on touchpoints: %d before the faults, %d at the end (%.1f s after"
            + " the last probe)%n",
        baselineLag, endLag, lagBackSeconds);
    out.println(
        "other services restarted by a fault: "
            + (cascades.isEmpty() ? "none" : String.join(", ", cascades)));
    if (notRecovered != null) {
      out.println("NOT RECOVERED: " + notRecovered);
    }
    out.println(passed() ? "engage chaos: passed" : "engage chaos: FAILED");
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
