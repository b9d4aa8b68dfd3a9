package dev.engage.ingestion.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identifier namespaces the normalizer knows. {@code customer_id} (Segment's userId, unique)
 * and {@code anonymous_id} (Segment's anonymousId) are always there; the others come from config,
 * with defaults for email, phone, loyalty id and device id.
 */
public final class IdentityNamespaces {
  public static final Namespace CUSTOMER_ID =
      new Namespace("customer_id", true, false, Namespace.Format.TEXT, List.of());
  public static final Namespace ANONYMOUS_ID =
      new Namespace("anonymous_id", false, false, Namespace.Format.TEXT, List.of());

  private final Map<String, Namespace> byName = new LinkedHashMap<>();

  public IdentityNamespaces(List<Namespace> declared) {
    byName.put(CUSTOMER_ID.name(), CUSTOMER_ID);
    byName.put(ANONYMOUS_ID.name(), ANONYMOUS_ID);
    for (Namespace namespace : declared) {
      if (byName.putIfAbsent(namespace.name(), namespace) != null) {
        throw new IllegalArgumentException(
            "identity namespace '" + namespace.name() + "' is declared twice");
      }
    }
  }

  /**
   * The namespaces declared under {@code namespaces:} in the ingestion config file, or the defaults
   * when it declares none:
   *
   * <pre>
   * namespaces:
   *   - { name: loyalty_id, unique: true, personal: false, format: text,
   *       fields: [/traits/loyalty_id, /properties/loyalty_id] }
   * </pre>
   */
  public static IdentityNamespaces load(Path file) {
    JsonNode declared;
    try {
      declared = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("namespaces");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (declared.isMissingNode() || declared.isNull()) {
      return defaults();
    }
    List<Namespace> namespaces = new ArrayList<>();
    int index = 0;
    for (JsonNode node : declared) {
      String where = file + ": namespaces[" + index++ + "]";
      List<String> fields = new ArrayList<>();
      node.path("fields").forEach(f -> fields.add(f.asText()));
      if (fields.isEmpty() || fields.stream().anyMatch(f -> !f.startsWith("/"))) {
        throw new IllegalArgumentException(
            where + ": 'fields' must list JSON pointers such as /traits/email");
      }
      try {
        namespaces.add(
            new Namespace(
                node.path("name").asText(""),
                node.path("unique").asBoolean(false),
                node.path("personal").asBoolean(false),
                Namespace.Format.valueOf(
                    node.path("format").asText("text").toUpperCase(Locale.ROOT)),
                fields));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + ": " + e.getMessage() + " (format is text, email or phone)", e);
      }
    }
    return new IdentityNamespaces(namespaces);
  }

  public static IdentityNamespaces defaults() {
    return new IdentityNamespaces(
        List.of(
            new Namespace(
                "email",
                false,
                true,
                Namespace.Format.EMAIL,
                List.of("/traits/email", "/context/traits/email", "/properties/email")),
            new Namespace(
                "phone",
                false,
                true,
                Namespace.Format.PHONE,
                List.of("/traits/phone", "/context/traits/phone", "/properties/phone")),
            new Namespace(
                "loyalty_id",
                true,
                false,
                Namespace.Format.TEXT,
                List.of(
                    "/traits/loyalty_id", "/context/traits/loyalty_id", "/properties/loyalty_id")),
            new Namespace(
                "device_id", false, false, Namespace.Format.TEXT, List.of("/context/device/id"))));
  }

  public Optional<Namespace> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Names of the unique namespaces, customer_id included. */
  public List<String> uniqueNames() {
    return byName.values().stream().filter(Namespace::unique).map(Namespace::name).toList();
  }

  /** Namespaces whose values are read from event fields (all but customer and anonymous id). */
  public List<Namespace> fromFields() {
    return byName.values().stream().filter(n -> !n.fields().isEmpty()).toList();
  }
}
