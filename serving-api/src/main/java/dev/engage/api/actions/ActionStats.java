package dev.engage.api.actions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.analytics.Proportions;
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

  /** Counts by code, then by segment ({@link #ALL}, {@link #TREATED}, {@link #CONTROL}...). */
  private final Map<String, Map<String, PropensityCounts>> counts = new ConcurrentHashMap<>();

  /** Actions shown (that reached an outcome) and accepted. */
  public record Counts(long shown, long accepted) {}

  /** A record of the propensities topic. */
  public void record(PropensityCounts c) {
    counts.computeIfAbsent(c.getCode(), code -> new ConcurrentHashMap<>()).put(c.getSegment(), c);
  }

  /** Per segment (and {@link #ALL}), over every action code: shown and accepted. */
  public Map<String, Counts> bySegment() {
    Map<String, Counts> bySegment = new TreeMap<>();
    counts
        .values()
        .forEach(
            groups ->
                groups.forEach(
                    (segment, c) ->
                        bySegment.merge(
                            segment,
                            new Counts(c.getSuccesses() + c.getFailures(), c.getSuccesses()),
                            (a, b) ->
                                new Counts(a.shown() + b.shown(), a.accepted() + b.accepted()))));
    return bySegment;
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
    Proportions.Interval interval = Proportions.wilson(accepted, shown);
    figures.put("rate", accepted / (double) shown);
    figures.putArray("interval").add(interval.low()).add(interval.high());
    return figures;
  }
}
