package dev.engage.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Backtest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code engage bench backtest}: replays synthetic touchpoints (50,000 customers browsing, adding
 * to cart, sometimes buying) through an abandoned-cart rule in the backtest engine, after a
 * warm-up, and reports events/s. No Kafka: this is the evaluator's own speed.
 */
public final class BacktestBenchmark {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private BacktestBenchmark() {}

  public static Map<String, Object> run(Rule rule, int events, PrintWriter out, Path resultFile)
      throws IOException {
    replay(rule, Math.min(events, 200_000)); // warm-up: JIT
    long began = System.nanoTime();
    Backtest.Report report = replay(rule, events);
    double seconds = (System.nanoTime() - began) / 1e9;
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("rule", rule.id());
    results.put("events", events);
    results.put("seconds", Math.round(seconds * 100) / 100.0);
    results.put("eventsPerSecond", Math.round(events / seconds));
    results.put("firings", report.firings());
    out.printf(
        "bench backtest: %,d events through %s in %.2f s: %,.0f events/s, %,d firings%n",
        events, rule.id(), seconds, events / seconds, report.firings());
    Files.createDirectories(resultFile.getParent());
    Files.writeString(
        resultFile,
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
    out.println("  figures written to " + resultFile);
    return results;
  }

  private static Backtest.Report replay(Rule rule, int events) {
    Backtest backtest = new Backtest(rule);
    for (int i = 0; i < events; i++) {
      backtest.accept("p" + (i % 4), event(i, T0.plus(Duration.ofMillis(i * 60L))));
    }
    return backtest.finish();
  }

  /**
   * The {@code i}-th synthetic touchpoint, at {@code at}: 50,000 customers browsing, adding to
   * cart, sometimes buying.
   */
  public static Touchpoint event(int i, Instant at) {
    String type = i % 10 == 0 ? "add_to_cart" : i % 10 == 5 ? "purchase" : "page_view";
    return Touchpoint.newBuilder()
        .setEventId("e" + i)
        .setCustomerId("c" + (i % 50_000))
        .setType(type)
        .setChannel("web")
        .setSource("bench")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }
}
