package dev.engage.api.analytics;

import dev.engage.schemas.redis.AnalyticsKeys;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One of the analytics hashes ({@link AnalyticsKeys}) as read: by name (a campaign, a day, an
 * agent, a segment), then metric, its total. Fields that do not parse are left out.
 */
record AnalyticsHash(Map<String, Map<String, Double>> byName) {
  /** Reads {@code metric|name} fields, the name after the first separator only. */
  static AnalyticsHash of(Map<String, String> fields) {
    Map<String, Map<String, Double>> byName = new TreeMap<>();
    fields.forEach(
        (field, value) -> {
          int at = field.indexOf(AnalyticsKeys.SEPARATOR);
          Double number = number(value);
          if (at > 0 && number != null) {
            byName
                .computeIfAbsent(field.substring(at + 1), n -> new TreeMap<>())
                .put(field.substring(0, at), number);
          }
        });
    return new AnalyticsHash(byName);
  }

  /**
   * Reads {@code model|dimension|name} fields (attribution): by dimension, then name, then model.
   */
  static Map<String, AnalyticsHash> ofAttribution(Map<String, String> fields) {
    Map<String, Map<String, Map<String, Double>>> byDimension = new TreeMap<>();
    fields.forEach(
        (field, value) -> {
          String[] parts = field.split(Pattern.quote(AnalyticsKeys.SEPARATOR), 3);
          Double number = number(value);
          if (parts.length == 3 && number != null) {
            byDimension
                .computeIfAbsent(parts[1], d -> new TreeMap<>())
                .computeIfAbsent(parts[2], n -> new TreeMap<>())
                .put(parts[0], number);
          }
        });
    Map<String, AnalyticsHash> hashes = new TreeMap<>();
    byDimension.forEach((dimension, names) -> hashes.put(dimension, new AnalyticsHash(names)));
    return hashes;
  }

  /** The metric of the name, 0 when absent. */
  double get(String name, String metric) {
    return byName.getOrDefault(name, Map.of()).getOrDefault(metric, 0.0);
  }

  private static Double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
