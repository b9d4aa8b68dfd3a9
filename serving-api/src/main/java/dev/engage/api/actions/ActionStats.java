package dev.engage.api.actions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.http.Json;
import dev.engage.avro.PropensityCounts;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per action code, what customers did with it, as the decisions job counts it on the compacted
 * {@code propensities} topic: over all customers ({@code *}) and per group, the treated ({@code
 * ~treated}) and the control group ({@code ~control}), so that uplift can be read off. Each record
 * holds absolute counts, so the latest per key is the truth and a replayed one changes nothing.
 * Memory: three small entries per action code.
 */
public final class ActionStats {
  static final String ALL = "*";
  static final String TREATED = "~treated";
  static final String CONTROL = "~control";

  /** Counts by code, then by {@link #ALL}, {@link #TREATED} or {@link #CONTROL}. */
  private final Map<String, Map<String, PropensityCounts>> counts = new ConcurrentHashMap<>();

  /** A record of the propensities topic; segments other than the three above are not kept. */
  public void record(PropensityCounts c) {
    String segment = c.getSegment();
    if (segment.equals(ALL) || segment.equals(TREATED) || segment.equals(CONTROL)) {
      counts.computeIfAbsent(c.getCode(), code -> new ConcurrentHashMap<>()).put(segment, c);
    }
  }

  /** Every action's figures, by code. */
  public ObjectNode toJson() {
    ObjectNode answer = Json.MAPPER.createObjectNode();
    ArrayNode actions = answer.putArray("actions");
    new TreeMap<>(counts)
        .forEach(
            (code, groups) -> {
              ObjectNode action = figures(groups.get(ALL)).put("code", code);
              action.set("treated", figures(groups.get(TREATED)));
              action.set("control", figures(groups.get(CONTROL)));
              actions.add(action);
            });
    return answer;
  }

  /**
   * Shown (actions put before customers that reached an outcome: accepted, dismissed or left until
   * their ttl), accepted, the rate and its 95% Wilson score interval, which stays within 0 and 1
   * and is honest for small counts where the normal approximation is not.
   */
  static ObjectNode figures(PropensityCounts c) {
    long accepted = c == null ? 0 : c.getSuccesses();
    long shown = c == null ? 0 : c.getSuccesses() + c.getFailures();
    ObjectNode figures =
        Json.MAPPER.createObjectNode().put("shown", shown).put("accepted", accepted);
    if (shown == 0) {
      figures.putNull("rate");
      figures.putNull("interval");
      return figures;
    }
    double p = accepted / (double) shown;
    double z = 1.96;
    double denominator = 1 + z * z / shown;
    double centre = (p + z * z / (2 * shown)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / shown + z * z / (4.0 * shown * shown)) / denominator;
    figures.put("rate", p);
    figures.putArray("interval").add(Math.max(0, centre - half)).add(Math.min(1, centre + half));
    return figures;
  }
}
