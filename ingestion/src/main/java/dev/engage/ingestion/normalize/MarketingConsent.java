package dev.engage.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a visitor chose in the site's cookie banner about marketing, as the SDKs' consent tools put
 * it on every event: Segment's {@code context.consent.categoryPreferences}, e.g. {@code
 * {"Analytics": true, "Advertising": false}}, or RudderStack's {@code
 * context.consentManagement.allowedConsentIds} and {@code deniedConsentIds}. Category names are the
 * site's own; those that mean marketing are {@code Marketing}, {@code Advertising}, {@code
 * Targeting} and {@code Ads} (any case, also as part of a longer name such as "Targeting Cookies"),
 * and OneTrust's {@code C0004} (targeting cookies).
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
    Boolean granted = null;
    for (Map.Entry<String, JsonNode> category :
        context.path("consent").path("categoryPreferences").properties()) {
      if (category.getValue().isBoolean()) {
        granted = and(granted, category.getKey(), category.getValue().asBoolean());
      }
    }
    JsonNode rudderStack = context.path("consentManagement");
    for (JsonNode id : rudderStack.path("allowedConsentIds")) {
      granted = and(granted, id.asText(), true);
    }
    for (JsonNode id : rudderStack.path("deniedConsentIds")) {
      granted = and(granted, id.asText(), false);
    }
    return Optional.ofNullable(granted);
  }

  /** The answer so far with one more category's: a refusal of any marketing category wins. */
  private static Boolean and(Boolean soFar, String category, boolean given) {
    if (!isMarketing(category)) {
      return soFar;
    }
    return (soFar == null || soFar) && given;
  }

  private static boolean isMarketing(String category) {
    String name = category.trim().toLowerCase(Locale.ROOT);
    return MARKETING_IDS.contains(name) || MARKETING_WORDS.stream().anyMatch(name::contains);
  }
}
