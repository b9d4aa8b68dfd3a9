package dev.engage.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each rule is doing in the running Flink job, read from Flink's REST API: firings since the
 * job started (summed over subtasks) and freshness, the time from the cause's arrival to the firing
 * (median and p99 of the worst subtask, over its last 1,000 firings).
 */
final class RuleActivity {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "evaluate_trigger_rules";

  /**
   * Figures of one rule; the freshness is null before it first fired on an event. Evaluation errors
   * are its conditions' runtime errors (each counted as not holding).
   */
  record Figures(
      long firings, Double freshnessMedianMs, Double freshnessP99Ms, long evaluationErrors) {}

  private final URI flink;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  RuleActivity(URI flink) {
    this.flink = flink;
  }

  /** By rule id; empty when no job runs or Flink does not answer. */
  Optional<Map<String, Figures>> of(Collection<String> ruleIds) {
    try {
      Optional<String> vertex = triggerVertex();
      if (vertex.isEmpty()) {
        return Optional.empty();
      }
      List<String> names = new ArrayList<>();
      for (String id : ruleIds) {
        names.add(metric(id, "firings"));
        names.add(metric(id, "freshnessMs_median"));
        names.add(metric(id, "freshnessMs_p99"));
        names.add(metric(id, "evaluationErrors"));
      }
      Map<String, JsonNode> values = new HashMap<>();
      if (!names.isEmpty()) {
        String query =
            "?agg=sum,max&get="
                + URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8);
        for (JsonNode value : get(vertex.get() + "/subtasks/metrics" + query)) {
          values.put(value.get("id").asText(), value);
        }
      }
      Map<String, Figures> figures = new HashMap<>();
      for (String id : ruleIds) {
        figures.put(
            id,
            new Figures(
                sum(values.get(metric(id, "firings"))),
                max(values.get(metric(id, "freshnessMs_median"))),
                max(values.get(metric(id, "freshnessMs_p99"))),
                sum(values.get(metric(id, "evaluationErrors")))));
      }
      return Optional.of(figures);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The REST path of the running job's trigger operator, if a job runs. */
  private Optional<String> triggerVertex() throws IOException, InterruptedException {
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (!job.path("state").asText().equals("RUNNING")) {
        continue;
      }
      String path = "/jobs/" + job.path("jid").asText();
      for (JsonNode vertex : get(path).path("vertices")) {
        if (vertex.path("name").asText().startsWith("evaluate trigger rules")) {
          return Optional.of(path + "/vertices/" + vertex.path("id").asText());
        }
      }
    }
    return Optional.empty();
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(flink.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Flink answered " + response.statusCode() + " for " + path);
    }
    return JSON.readTree(response.body());
  }

  private static String metric(String ruleId, String name) {
    return OPERATOR + ".rule." + ruleId + "." + name;
  }

  private static long sum(JsonNode value) {
    return value == null ? 0 : value.get("sum").asLong();
  }

  private static Double max(JsonNode value) {
    return value == null ? null : value.get("max").asDouble();
  }
}
