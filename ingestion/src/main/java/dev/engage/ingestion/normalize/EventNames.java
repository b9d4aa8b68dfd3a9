package dev.engage.ingestion.normalize;

import java.util.Locale;

/** Event names as marketers and SDKs write them ("Order Completed", "addToCart") in snake_case. */
public final class EventNames {
  private EventNames() {}

  public static String snakeCase(String name) {
    String spaced =
        name.trim()
            .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2");
    return spaced.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }
}
