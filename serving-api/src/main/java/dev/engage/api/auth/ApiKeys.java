package dev.engage.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys, read from a YAML file:
 *
 * <pre>
 * keys:
 *   - { name: console, key: ek_agent_..., role: agent }
 *   - { name: bench, key: ek_service_..., role: service, rateLimit: 100000 }
 * </pre>
 *
 * Keys are compared in constant time, and every key is compared, so the answer time does not tell
 * how close a guess was or which key matched.
 */
public final class ApiKeys {
  private final List<ApiKey> keys;

  public ApiKeys(List<ApiKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no API keys configured: nobody could call the API");
    }
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (ApiKey key : keys) {
      if (key.name() == null || key.name().isBlank()) {
        throw new IllegalArgumentException("every key needs a name");
      }
      if (key.role() == null) {
        throw new IllegalArgumentException(
            key.name() + ": role must be one of agent, marketer, admin, app, service");
      }
      if (key.key() == null || key.key().length() < ApiKey.MIN_LENGTH) {
        throw new IllegalArgumentException(
            key.name() + ": key must have at least " + ApiKey.MIN_LENGTH + " characters");
      }
      if (key.rateLimit() < 0) {
        throw new IllegalArgumentException(key.name() + ": rateLimit must not be negative");
      }
      if (!names.add(key.name())) {
        throw new IllegalArgumentException("two keys are named " + key.name());
      }
      if (!secrets.add(key.key())) {
        throw new IllegalArgumentException(key.name() + ": the same key is configured twice");
      }
    }
    this.keys = List.copyOf(keys);
  }

  public static ApiKeys load(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      if (root == null || !root.path("keys").isArray()) {
        throw new IllegalArgumentException("expected a 'keys:' list");
      }
      List<ApiKey> keys = new ArrayList<>();
      for (JsonNode node : root.path("keys")) {
        keys.add(
            new ApiKey(
                node.path("name").asText(null),
                node.path("key").asText(null),
                Role.parse(node.path("role").asText(null)),
                node.path("rateLimit").asDouble(0)));
      }
      return new ApiKeys(keys);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read API keys file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The key with this secret, compared in constant time against every key. */
  public Optional<ApiKey> find(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = secret.getBytes(StandardCharsets.UTF_8);
    ApiKey found = null;
    for (ApiKey key : keys) {
      if (MessageDigest.isEqual(given, key.key().getBytes(StandardCharsets.UTF_8))) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The key with this name (names are not secret: stream tokens carry one). */
  public Optional<ApiKey> named(String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** A fresh random key for a role: {@code ek_<role>_} and 32 hex characters. */
  public static String generate(Role role) {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return "ek_" + role.label() + "_" + HexFormat.of().formatHex(bytes);
  }

  /** Writes keys in the format {@link #load} reads (owner-only permissions where supported). */
  public static void write(Path file, List<ApiKey> keys) throws IOException {
    StringBuilder yaml =
        new StringBuilder("# Engage API keys: name, secret, role (agent, marketer, admin, app,")
            .append(" service), optional rateLimit (requests/s)\nkeys:\n");
    for (ApiKey k : keys) {
      yaml.append("  - { name: ")
          .append(k.name())
          .append(", key: ")
          .append(k.key())
          .append(", role: ")
          .append(k.role().label());
      if (k.rateLimit() > 0) {
        yaml.append(", rateLimit: ").append(k.rateLimit());
      }
      yaml.append(" }\n");
    }
    Files.writeString(file, yaml.toString());
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: leave the default permissions
    }
  }
}
