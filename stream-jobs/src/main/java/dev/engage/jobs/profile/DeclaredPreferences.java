package dev.engage.jobs.profile;

import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * What a customer declares about themselves: an {@code identify} touchpoint's traits or a {@code
 * preferences_updated} touchpoint (what {@code PUT /v1/customers/{id}/preferences} publishes). An
 * attribute named like a {@link Preferences} field, with or without a {@code preferences.} prefix
 * and in camelCase or snake_case ({@code consentEmail}, {@code consent_email}), sets that field;
 * booleans accept true/false, yes/no and 1/0.
 *
 * <p>A visitor who refuses marketing cookies on a site withdraws their consent to be contacted,
 * from any touchpoint: ingestion sets {@code consent_marketing=false} from the page's consent
 * context ({@code context.consent.categoryPreferences}), and then email, SMS and push consent go to
 * false. Accepting the cookies is no opt-in to messages, so {@code true} changes nothing. Other
 * touchpoints leave preferences alone.
 */
final class DeclaredPreferences {
  static final Set<String> DECLARING_TYPES = Set.of("identify", "preferences_updated");

  /** The attribute ingestion derives from the page's cookie banner, on any touchpoint. */
  static final String MARKETING_CONSENT = "consent_marketing";

  private static final Set<String> TRUE = Set.of("true", "yes", "1");

  private DeclaredPreferences() {}

  static Preferences apply(Preferences current, Touchpoint event) {
    boolean declares = DECLARING_TYPES.contains(event.getType());
    boolean refusesMarketing = "false".equals(event.getAttributes().get(MARKETING_CONSENT));
    if (!declares && !refusesMarketing) {
      return current;
    }
    Preferences updated = Preferences.newBuilder(current).build();
    if (declares) {
      declare(updated, event.getAttributes());
    }
    if (refusesMarketing) {
      // after the traits: a refusal on the same identify outweighs a consent among its traits
      updated.setConsentEmail(false);
      updated.setConsentSms(false);
      updated.setConsentPush(false);
    }
    return updated;
  }

  private static void declare(Preferences updated, Map<String, String> attributes) {
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      Schema.Field field = fieldNamed(attribute.getKey());
      if (field == null) {
        continue;
      }
      String value = attribute.getValue();
      boolean bool = field.schema().getType() == Schema.Type.BOOLEAN;
      updated.put(
          field.pos(),
          bool ? TRUE.contains(value.toLowerCase(Locale.ROOT)) : value.isBlank() ? null : value);
    }
  }

  private static Schema.Field fieldNamed(String attribute) {
    String name = normalized(attribute.replaceFirst("^preferences\\.", ""));
    return Preferences.getClassSchema().getFields().stream()
        .filter(f -> normalized(f.name()).equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String normalized(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }
}
