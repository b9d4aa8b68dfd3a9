package dev.engage.api.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.api.http.Json;
import java.util.List;
import java.util.Map;

/**
 * One campaign's figures as the API answers them: its funnel, suppressions by reason, and the
 * uplift of the treated customers' conversion rate over the control group's with a 95% interval.
 */
final class CampaignFigures {
  static final List<String> FUNNEL =
      List.of(
          "fired",
          "decided",
          "sent",
          "deferred",
          "delivered",
          "opened",
          "clicked",
          "bounced",
          "failed",
          "accepted",
          "dismissed");

  private static final String SUPPRESSED = "suppressed:";

  private CampaignFigures() {}

  static ObjectNode of(String campaign, Map<String, Double> metrics) {
    ObjectNode json = Json.MAPPER.createObjectNode().put("campaign", campaign);
    for (String metric : FUNNEL) {
      json.put(metric, count(metrics, metric));
    }
    ObjectNode suppressed = json.putObject("suppressed");
    metrics.forEach(
        (metric, value) -> {
          if (metric.startsWith(SUPPRESSED)) {
            suppressed.put(metric.substring(SUPPRESSED.length()), value.longValue());
          }
        });
    json.set("uplift", uplift(metrics));
    return json;
  }

  /**
   * Treated and control: exposed, converted and the rate; the difference of the rates and its
   * interval, null while either group has no one.
   */
  static ObjectNode uplift(Map<String, Double> metrics) {
    ObjectNode uplift = Json.MAPPER.createObjectNode();
    long treated = count(metrics, "exposed:treated");
    long treatedConverted = count(metrics, "converted:treated");
    long control = count(metrics, "exposed:control");
    long controlConverted = count(metrics, "converted:control");
    uplift.set("treated", group(treated, treatedConverted));
    uplift.set("control", group(control, controlConverted));
    if (treated == 0 || control == 0) {
      uplift.putNull("difference");
      uplift.putNull("interval");
      return uplift;
    }
    uplift.put(
        "difference", treatedConverted / (double) treated - controlConverted / (double) control);
    Proportions.Interval interval =
        Proportions.difference(treatedConverted, treated, controlConverted, control);
    uplift.putArray("interval").add(interval.low()).add(interval.high());
    return uplift;
  }

  private static ObjectNode group(long exposed, long converted) {
    ObjectNode group =
        Json.MAPPER.createObjectNode().put("exposed", exposed).put("converted", converted);
    if (exposed == 0) {
      group.putNull("rate");
    } else {
      group.put("rate", converted / (double) exposed);
    }
    return group;
  }

  private static long count(Map<String, Double> metrics, String metric) {
    return Math.round(metrics.getOrDefault(metric, 0.0));
  }
}
