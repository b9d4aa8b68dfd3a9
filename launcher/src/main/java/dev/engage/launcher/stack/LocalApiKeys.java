package dev.engage.launcher.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.engage.launcher.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving API's keys for the local stack: one random key per role, created on the first start
 * and then kept, so pages and scripts configured with a key keep working across restarts.
 */
public final class LocalApiKeys {
  private static final List<String> ROLES = List.of("agent", "marketer", "admin", "app", "service");

  private LocalApiKeys() {}

  public static Path file(StackConfig config) {
    return config.dataDir().resolve("api").resolve("api-keys.yaml");
  }

  static void createIfMissing(Path file) {
    if (Files.exists(file)) {
      return;
    }
    SecureRandom random = new SecureRandom();
    StringBuilder yaml =
        new StringBuilder(
            "# Engage serving API keys (send as 'Authorization: Bearer <key>'), one per role.\n"
                + "keys:\n");
    for (String role : ROLES) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      yaml.append("  - { name: local-")
          .append(role)
          .append(", key: ek_")
          .append(role)
          .append('_')
          .append(HexFormat.of().formatHex(key))
          .append(", role: ")
          .append(role)
          // services are machines (delivery workers, engage bench api), not people
          .append(role.equals("service") ? ", rateLimit: 100000" : "")
          .append(" }\n");
    }
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new ServiceException("cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The keys in the file by role (the first key of each role). */
  public static Map<String, String> byRole(Path file) throws IOException {
    Map<String, String> keys = new LinkedHashMap<>();
    for (JsonNode key : new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("keys")) {
      keys.putIfAbsent(key.path("role").asText(), key.path("key").asText());
    }
    return keys;
  }
}
