package dev.engage.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The figures of {@code engage bench all} as one table: each row a path of the data plane, its
 * figure (a ratio against the baseline its benchmark ran in the same command, or a latency), the
 * target the throughput issue sets, and whether it was met. Reads the JSON each benchmark wrote.
 */
public final class BenchSummary {

  /** How a figure is compared with its target; {@link #NONE} for a row without one. */
  public enum Target {
    AT_LEAST,
    BELOW,
    NONE
  }

  /**
   * One row of the table.
   *
   * @param value the figure, or null when its benchmark did not run to its end
   * @param unit "ratio", "ms" or "bytes"
   * @param detail the absolute figures behind a ratio, for the reader
   */
  public record Row(
      String path,
      String bench,
      Double value,
      String unit,
      Target target,
      double threshold,
      String detail) {

    /** Whether the target was met; null when there is no target or no figure. */
    public Boolean met() {
      if (value == null || target == Target.NONE) {
        return null;
      }
      return target == Target.AT_LEAST ? value >= threshold : value < threshold;
    }

    Map<String, Object> asJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("path", path);
      json.put("bench", bench);
      json.put("value", value);
      json.put("unit", unit);
      if (target != Target.NONE) {
        json.put("target", targetText());
        json.put("met", met());
      }
      json.put("detail", detail);
      return json;
    }

    String targetText() {
      return switch (target) {
        case AT_LEAST -> ">= " + number(threshold);
        case BELOW -> "< " + number(threshold);
        case NONE -> "";
      };
    }
  }

  private final Map<String, JsonNode> results;

  /**
   * @param results each benchmark's figures by its name (ingest, profile, api, cancellation,
   *     decisions, delivery); a benchmark that failed is absent
   */
  public BenchSummary(Map<String, JsonNode> results) {
    this.results = results;
  }

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    JsonNode ingest = results.get("ingest");
    rows.add(
        ratioOfProducer(
            "collector, HTTP batches of 100",
            ingest,
            "/collector/eventsPerSecond",
            Target.AT_LEAST,
            0.5));
    rows.add(
        ratioOfProducer(
            "collector -> touchpoints, end to end",
            ingest,
            "/collector/endToEndEventsPerSecond",
            Target.AT_LEAST,
            0.3));
    rows.add(
        ratioOfProducer(
            "normalizer on a backlog", ingest, "/normalizerEventsPerSecond", Target.NONE, 0));

    JsonNode profile = results.get("profile");
    rows.add(
        figure(
            "profile job",
            "profile",
            profile,
            "vsPassThrough",
            "ratio",
            Target.AT_LEAST,
            0.4,
            p ->
                perSecond(p.path("profileJobPerSecond"))
                    + " vs pass-through "
                    + perSecond(p.path("passThroughPerSecond"))));
    rows.add(
        figure(
            "profile state per customer",
            "profile",
            profile,
            "stateBytesPerCustomer",
            "bytes",
            Target.BELOW,
            2048,
            p -> "from a savepoint"));
    rows.add(
        latencyRow(
            "touchpoint -> profile in Redis, p99",
            "profile",
            profile == null ? null : profile.path("latency"),
            Target.BELOW,
            250));

    JsonNode api = results.get("api");
    rows.add(
        figure(
            "GET next-best-actions",
            "api",
            api,
            "apiVsRedisGet",
            "ratio",
            Target.AT_LEAST,
            0.5,
            a ->
                perSecond(a.path("api").path("requestsPerSecond"))
                    + " vs redis-benchmark GET "
                    + perSecond(a.path("redisGetsPerSecond"))));
    rows.add(
        figure(
            "GET next-best-actions, p99",
            "api",
            api == null ? null : api.path("api"),
            "p99Millis",
            "ms",
            Target.BELOW,
            5,
            a -> "p50 " + number(a.path("p50Millis").asDouble()) + " ms"));

    JsonNode cancellation = results.get("cancellation");
    rows.add(
        cancellationRow(
            "cancellation -> last trigger fired, p99",
            cancellation,
            "lastFired",
            Target.BELOW,
            1000));
    rows.add(
        cancellationRow(
            "cancellation -> last trigger on triggers, p99",
            cancellation,
            "lastTrigger",
            Target.NONE,
            0));

    JsonNode decisions = results.get("decisions");
    rows.add(
        figure(
            "trigger pipeline with decisions",
            "decisions",
            decisions,
            "withDecisionsVsTriggerPipeline",
            "ratio",
            Target.NONE,
            0,
            d ->
                perSecond(d.path("withDecisionsPerSecond"))
                    + " vs triggers alone "
                    + perSecond(d.path("triggerPipelinePerSecond"))));
    rows.add(
        latencyRow(
            "touchpoint -> next-best-actions in Redis, p99",
            "decisions",
            decisions == null ? null : decisions.path("touchpointToNextBestActionsInRedis"),
            Target.NONE,
            0));

    JsonNode delivery = results.get("delivery");
    for (String channel : DeliveryBenchmark.CHANNELS) {
      rows.add(
          figure(
              "delivery, " + channel,
              "delivery",
              delivery == null ? null : delivery.get(channel),
              "ratio",
              "ratio",
              Target.NONE,
              0,
              d ->
                  perSecond(d.path("deliveryPerSecond"))
                      + " vs a plain client "
                      + perSecond(d.path("plainClientPerSecond"))));
    }
    return rows;
  }

  /** The table as printed, one row per line, each line indented as every bench figure is. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-46s %10s %-6s %-9s %-4s %s",
            "path",
            "figure",
            "",
            "target",
            "met",
            "detail"));
    for (Row row : rows()) {
      Boolean met = row.met();
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-46s %10s %-6s %-9s %-4s %s",
              row.path(),
              row.value() == null ? "-" : figure(row.value(), row.unit()),
              row.value() == null || row.unit().equals("ratio") ? "" : row.unit(),
              row.targetText(),
              met == null ? "" : met ? "yes" : "no",
              row.detail()));
    }
    return lines;
  }

  /** The summary's JSON: the machine, the rows, and each benchmark's own figures. */
  public Map<String, Object> asJson(int cores, String startedAt) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cores", cores);
    json.put("startedAt", startedAt);
    json.put("rows", rows().stream().map(Row::asJson).toList());
    json.put("benchmarks", results);
    return json;
  }

  /**
   * The row of {@code field} of a benchmark's {@code figures} (null or missing when it did not
   * run), with {@code detail} made from the same figures.
   */
  private static Row figure(
      String path,
      String bench,
      JsonNode figures,
      String field,
      String unit,
      Target target,
      double threshold,
      Function<JsonNode, String> detail) {
    if (figures == null || figures.isMissingNode()) {
      return missing(path, bench, unit, target, threshold);
    }
    return new Row(
        path,
        bench,
        figures.path(field).asDouble(),
        unit,
        target,
        threshold,
        detail.apply(figures));
  }

  /** The rate at {@code pointer} in bench ingest's figures over its plain producer's rate. */
  private static Row ratioOfProducer(
      String path, JsonNode ingest, String pointer, Target target, double threshold) {
    double producer = ingest == null ? 0 : ingest.path("kafkaProducerEventsPerSecond").asDouble();
    if (producer <= 0) {
      return missing(path, "ingest", "ratio", target, threshold);
    }
    JsonNode rate = ingest.at(pointer);
    return new Row(
        path,
        "ingest",
        Math.round(rate.asDouble() / producer * 1000) / 1000.0,
        "ratio",
        target,
        threshold,
        perSecond(rate) + " vs a plain producer " + perSecond(producer));
  }

  /** {@code figure} is lastFired (the trigger's own firedAt) or lastTrigger (read committed). */
  private static Row cancellationRow(
      String path, JsonNode cancellation, String figure, Target target, double threshold) {
    return figure(
        path,
        "cancellation",
        cancellation,
        figure + "P99Ms",
        "ms",
        target,
        threshold,
        c ->
            c.path("passengers").asInt()
                + " passengers, "
                + c.path("repeats").asInt()
                + " flights, p50 "
                + c.path(figure + "P50Ms").asLong()
                + " ms");
  }

  /** A p99 of the figures a latency recorder of the stream-jobs benchmarks writes. */
  private static Row latencyRow(
      String path, String bench, JsonNode figures, Target target, double threshold) {
    return figure(
        path,
        bench,
        figures,
        "p99Millis",
        "ms",
        target,
        threshold,
        f ->
            "at "
                + perSecond(f.path("ratePerSecond"))
                + ", p50 "
                + number(f.path("p50Millis").asDouble())
                + " ms, "
                + f.path("arrived").asLong()
                + " of "
                + f.path("sent").asLong()
                + " arrived");
  }

  private static Row missing(
      String path, String bench, String unit, Target target, double threshold) {
    return new Row(
        path, bench, null, unit, target, threshold, "bench " + bench + " failed: see its log");
  }

  private static String perSecond(JsonNode rate) {
    return perSecond(rate.asDouble());
  }

  private static String perSecond(double rate) {
    return String.format(Locale.ROOT, "%,.0f/s", rate);
  }

  /** A ratio to three decimals, a latency or a size to the unit (two decimals under 10). */
  private static String figure(double value, String unit) {
    return unit.equals("ratio") ? String.format(Locale.ROOT, "%.3f", value) : number(value);
  }

  private static String number(double value) {
    return Math.abs(value) >= 10
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
