package dev.engage.api.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.actions.ActionStats;
import dev.engage.api.http.Json;
import java.util.Map;

/** One segment's 7P facets as the API answers them, each a breakdown or a sum. */
final class SegmentFacetsView {
  private SegmentFacetsView() {}

  static ObjectNode of(
      String segment, Map<String, Double> metrics, Map<String, ActionStats.Counts> promotion) {
    long customers = Math.round(metrics.getOrDefault("customers", 0.0));
    ObjectNode json =
        Json.MAPPER.createObjectNode().put("segment", segment).put("customers", customers);
    json.set("product", breakdown(metrics, "product:"));
    json.set("price", breakdown(metrics, "price:"));
    json.set("place", breakdown(metrics, "place:"));
    ActionStats.Counts offers = promotion.get(segment);
    ObjectNode promo = json.putObject("promotion");
    promo.put("shown", offers == null ? 0 : offers.shown());
    promo.put("accepted", offers == null ? 0 : offers.accepted());
    ObjectNode people = json.putObject("people");
    double calls = metrics.getOrDefault("people:calls", 0.0);
    people.put("calls", Math.round(calls));
    people.put("callsPerCustomer", customers == 0 ? 0 : calls / customers);
    ObjectNode process = json.putObject("process");
    process.put("openCases", Math.round(metrics.getOrDefault("process:openCases", 0.0)));
    process.put(
        "customersWithOpenCase", Math.round(metrics.getOrDefault("process:withOpenCase", 0.0)));
    json.putNull("physicalEvidence");
    return json;
  }

  /** The metrics under the prefix, by what follows it, as counts; those at 0 left out. */
  private static ObjectNode breakdown(Map<String, Double> metrics, String prefix) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    metrics.forEach(
        (metric, value) -> {
          long n = Math.round(value);
          if (metric.startsWith(prefix) && n != 0) {
            out.put(metric.substring(prefix.length()), n);
          }
        });
    return out;
  }
}
