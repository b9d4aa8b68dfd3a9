package dev.engage.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes rules and attribution read from what a browser or app SDK puts in an event's
 * context: the campaign of the visit ({@code context.campaign}, parsed by the SDK from the landing
 * page's {@code utm_*} parameters) as {@code utm_source}, {@code utm_medium}, {@code utm_campaign},
 * {@code utm_term}, {@code utm_content} (and any other {@code utm_*}), the referrer ({@code
 * context.page.referrer}) as {@code referrer}, the device class as {@code device_class}, and the
 * cookie banner's marketing choice as {@code consent_marketing} (see {@link MarketingConsent}).
 */
public final class BrowserAttributes {
  private BrowserAttributes() {}

  public static Map<String, String> of(JsonNode context) {
    Map<String, String> attributes = new HashMap<>();
    for (Map.Entry<String, JsonNode> field : context.path("campaign").properties()) {
      String value = field.getValue().isValueNode() ? field.getValue().asText().trim() : "";
      if (!value.isEmpty()) {
        // Segment calls utm_campaign "name"; every other field keeps its utm_ name
        String key = field.getKey().equals("name") ? "campaign" : field.getKey();
        attributes.put("utm_" + EventNames.snakeCase(key), value);
      }
    }
    String referrer = context.path("page").path("referrer").asText("").trim();
    if (!referrer.isEmpty()) {
      attributes.put("referrer", referrer);
    }
    DeviceClass.of(context).ifPresent(device -> attributes.put("device_class", device));
    MarketingConsent.of(context)
        .ifPresent(granted -> attributes.put("consent_marketing", granted.toString()));
    return attributes;
  }
}
