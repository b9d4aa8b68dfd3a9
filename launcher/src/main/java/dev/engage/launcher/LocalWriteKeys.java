package dev.engage.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.engage.launcher.config.ConfigException;
import dev.engage.launcher.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Write keys of the local stack's sources, from {@code <data-dir>/ingestion/ingestion.yaml}. */
final class LocalWriteKeys {
  private LocalWriteKeys() {}

  static String of(StackConfig config, String source) throws IOException {
    Path file = config.dataDir().resolve("ingestion").resolve("ingestion.yaml");
    if (!Files.exists(file)) {
      throw new ConfigException(
          file + " does not exist; start the stack with ./engage up first, or pass --write-key");
    }
    for (JsonNode node :
        new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("sources")) {
      if (source.equals(node.path("name").asText())) {
        return node.path("writeKey").asText();
      }
    }
    throw new ConfigException("no source named '" + source + "' in " + file);
  }
}
