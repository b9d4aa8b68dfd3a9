package dev.engage.ingestion.normalize;

import java.util.Locale;
import java.util.regex.Pattern;

/** Event names as marketers and SDKs write them ("Order Completed", "addToCart") in snake_case. */
public final class EventNames {
  private static final Pattern LOWER_THEN_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern ACRONYM_THEN_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");
  private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
  private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");

  private EventNames() {}

  public static String snakeCase(String name) {
    if (isSnakeCase(name)) {
      return name; // most names a pipeline sees are already written this way
    }
    String spaced =
        ACRONYM_THEN_WORD
            .matcher(LOWER_THEN_UPPER.matcher(name.trim()).replaceAll("$1_$2"))
            .replaceAll("$1_$2");
    String separated = SEPARATORS.matcher(spaced.toLowerCase(Locale.ROOT)).replaceAll("_");
    return EDGE_UNDERSCORES.matcher(separated).replaceAll("");
  }

  /** Lower-case letters and digits, words joined by single underscores. */
  private static boolean isSnakeCase(String name) {
    if (name.isEmpty() || name.charAt(0) == '_' || name.charAt(name.length() - 1) == '_') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      if (!allowed || (c == '_' && name.charAt(i - 1) == '_')) {
        return false;
      }
    }
    return true;
  }
}
