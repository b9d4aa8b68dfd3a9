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
 * booleans accept true/false, yes/no and 1/0. Other touchpoints leave preferences alone.
 */
final class DeclaredPreferences {
  static final Set<String> DECLARING_TYPES = Set.of("identify", "preferences_updated");
  private static final Set<String> TRUE = Set.of("true", "yes", "1");

  private DeclaredPreferences() {}

  static Preferences apply(Preferences current, Touchpoint event) {
    if (!DECLARING_TYPES.contains(event.getType())) {
      return current;
    }
    Preferences updated = Preferences.newBuilder(current).build();
    for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
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
    return updated;
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
