package dev.engage.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.bench.BenchSummary.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ratiosAreTakenAgainstEachBenchmarksOwnBaselineAndCheckedAgainstTheTargets()
      throws Exception {
    Map<String, JsonNode> results = new LinkedHashMap<>();
    results.put(
        "ingest",
        JSON.readTree(
            """
            {"kafkaProducerEventsPerSecond": 20000,
             "collector": {"eventsPerSecond": 12000, "endToEndEventsPerSecond": 4000},
             "normalizerEventsPerSecond": 5000}
            """));
    results.put(
        "api",
        JSON.readTree(
            """
            {"api": {"requestsPerSecond": 9000, "p50Millis": 1.2, "p99Millis": 7.5},
             "redisGetsPerSecond": 30000, "apiVsRedisGet": 0.3}
            """));
    results.put(
        "profile",
        JSON.readTree(
            """
            {"passThroughPerSecond": 20000, "profileJobPerSecond": 9000, "vsPassThrough": 0.45,
             "latency": {"ratePerSecond": 1000, "sent": 10, "arrived": 10,
                         "p50Millis": 40, "p99Millis": 240},
             "stateBytesPerCustomer": 2100}
            """));

    List<Row> rows = new BenchSummary(results).rows();

    assertThat(row(rows, "collector, HTTP batches of 100").value()).isEqualTo(0.6);
    assertThat(row(rows, "collector, HTTP batches of 100").met()).isTrue();
    assertThat(row(rows, "collector -> touchpoints, end to end").value()).isEqualTo(0.2);
    assertThat(row(rows, "collector -> touchpoints, end to end").met()).isFalse();
    assertThat(row(rows, "normalizer on a backlog").value()).isEqualTo(0.25);
    assertThat(row(rows, "normalizer on a backlog").met()).isNull();
    assertThat(row(rows, "profile job").met()).isTrue();
    assertThat(row(rows, "profile state per customer").met()).isFalse();
    assertThat(row(rows, "touchpoint -> profile in Redis, p99").value()).isEqualTo(240.0);
    assertThat(row(rows, "touchpoint -> profile in Redis, p99").met()).isTrue();
    assertThat(row(rows, "GET next-best-actions").met()).isFalse();
    assertThat(row(rows, "GET next-best-actions, p99").met()).isFalse();
  }

  @Test
  void aBenchmarkThatDidNotRunLeavesItsRowsWithoutAFigureRatherThanMet() {
    List<Row> rows = new BenchSummary(Map.of()).rows();

    assertThat(rows).allSatisfy(row -> assertThat(row.value()).isNull());
    assertThat(rows).allSatisfy(row -> assertThat(row.met()).isNull());
    assertThat(row(rows, "cancellation -> last trigger fired, p99").detail())
        .isEqualTo("bench cancellation failed: see its log");
    assertThat(new BenchSummary(Map.of()).table())
        .anySatisfy(line -> assertThat(line).contains("delivery, in_app"));
  }

  private static Row row(List<Row> rows, String path) {
    return rows.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
  }
}
