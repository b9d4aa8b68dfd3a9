package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured sources, read from a YAML file:
 *
 * <pre>
 * sources:
 *   - { name: website, writeKey: wk_..., channel: web, origins: [https://www.example.com] }
 *   - { name: mobile-app, writeKey: wk_..., channel: app }
 * </pre>
 *
 * Write keys are compared in constant time.
 */
public final class Sources {
  private final List<Source> sources;

  public Sources(List<Source> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no sources configured: nobody could send events");
    }
    this.sources = List.copyOf(sources);
  }

  public static Sources load(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      List<Source> sources = new ArrayList<>();
      for (JsonNode node : root.path("sources")) {
        sources.add(
            new Source(
                node.path("name").asText(null),
                node.path("writeKey").asText(null),
                node.path("channel").asText(null),
                texts(node.path("origins"))));
      }
      return new Sources(sources);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read sources file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> texts(JsonNode list) {
    if (!list.isMissingNode() && !list.isArray()) {
      throw new IllegalArgumentException("'origins' must be a list, was " + list);
    }
    List<String> texts = new ArrayList<>();
    list.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  /** Whether some source's pages may be on {@code origin} (a preflight does not name the key). */
  public boolean anyAllowsOrigin(String origin) {
    return sources.stream().anyMatch(source -> source.allowsOrigin(origin));
  }

  public Optional<Source> byWriteKey(String writeKey) {
    if (writeKey == null) {
      return Optional.empty();
    }
    byte[] given = writeKey.getBytes(StandardCharsets.UTF_8);
    Source found = null;
    for (Source source : sources) {
      // check every key, so timing does not tell how many keys were compared
      if (MessageDigest.isEqual(given, source.writeKey().getBytes(StandardCharsets.UTF_8))) {
        found = source;
      }
    }
    return Optional.ofNullable(found);
  }

  public List<Source> all() {
    return sources;
  }

  /** Writes sources in the format {@link #load} reads. */
  public static void write(Path file, List<Source> sources) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            "# Engage collector sources: write key -> source name and default channel\nsources:\n");
    for (Source s : sources) {
      yaml.append("  - { name: ")
          .append(s.name())
          .append(", writeKey: ")
          .append(s.writeKey())
          .append(", channel: ")
          .append(s.channel());
      if (!s.origins().isEmpty()) {
        // quoted: a bare * would be a YAML alias
        yaml.append(", origins: [\"").append(String.join("\", \"", s.origins())).append("\"]");
      }
      yaml.append(" }\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, yaml);
  }
}
