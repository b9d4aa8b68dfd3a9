package dev.engage.launcher.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Raw settings as dotted keys ({@code kafka.port}) from three layers, later ones winning: a YAML
 * file, environment variables ({@code ENGAGE_KAFKA_PORT}) and command-line flags. Remembers where
 * each value came from so errors can say which file, variable or flag to fix.
 */
public final class SettingSources {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  /** Reads the file (nested YAML, flattened to dotted keys); a missing optional file is empty. */
  public SettingSources withFile(Path file, boolean required) {
    if (!Files.exists(file)) {
      if (required) {
        throw new ConfigException("config file " + file + " does not exist");
      }
      return this;
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      if (root != null && !root.isMissingNode() && !root.isNull()) {
        if (!root.isObject()) {
          throw new ConfigException("config file " + file + " must hold a YAML mapping");
        }
        flatten("", root, file.toString());
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** Takes {@code ENGAGE_*} variables for the given keys (dots and dashes become underscores). */
  public SettingSources withEnvironment(Map<String, String> env, Iterable<String> keys) {
    for (String key : keys) {
      String name = envName(key);
      if (env.containsKey(name)) {
        put(key, env.get(name), "environment variable " + name);
      }
    }
    return this;
  }

  /** Takes flag values (null values are flags that were not given). */
  public SettingSources withFlags(Map<String, String> flags) {
    flags.forEach(
        (key, value) -> {
          if (value != null) {
            put(key, value, "flag for " + key);
          }
        });
    return this;
  }

  public static String envName(String key) {
    return "ENGAGE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public String originOf(String key) {
    return origins.getOrDefault(key, "default");
  }

  public Map<String, String> all() {
    return Map.copyOf(values);
  }

  private void flatten(String prefix, JsonNode node, String origin) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  flatten(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      origin));
    } else {
      put(prefix, node.asText(), origin);
    }
  }

  private void put(String key, String value, String origin) {
    values.put(key, value);
    origins.put(key, origin);
  }
}
