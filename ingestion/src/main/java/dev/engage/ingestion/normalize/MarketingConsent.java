package dev.engage.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a visitor chose in the site's cookie banner about marketing, as Segment's consent tools put
 * it on every event: {@code context.consent.categoryPreferences}, e.g. {@code {"Analytics": true,
 * "Advertising": false}}. Category names are the site's own; those that mean marketing are {@code
 * Marketing}, {@code Advertising}, {@code Targeting} and {@code Ads} (any case, also as part of a
 * longer name such as "Targeting Cookies"), and OneTrust's {@code C0004} (targeting cookies).
 */
public final class MarketingConsent {
  private static final Set<String> MARKETING_WORDS =
      Set.of("marketing", "advertising", "targeting");
  private static final Set<String> MARKETING_IDS = Set.of("ads", "c0004");

  private MarketingConsent() {}

  /**
   * False when any marketing category is refused, true when every one named is granted, empty when
   * the event names none.
   */
  public static Optional<Boolean> of(JsonNode context) {
    JsonNode preferences = context.path("consent").path("categoryPreferences");
    Boolean granted = null;
    for (Map.Entry<String, JsonNode> category : preferences.properties()) {
      if (!isMarketing(category.getKey()) || !category.getValue().isBoolean()) {
        continue;
      }
      granted = (granted == null || granted) && category.getValue().asBoolean();
    }
    return Optional.ofNullable(granted);
  }

  private static boolean isMarketing(String category) {
    String name = category.trim().toLowerCase(Locale.ROOT);
    return MARKETING_IDS.contains(name) || MARKETING_WORDS.stream().anyMatch(name::contains);
  }
}
