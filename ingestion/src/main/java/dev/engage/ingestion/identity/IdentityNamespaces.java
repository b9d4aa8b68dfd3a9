package dev.engage.ingestion.identity;

import java.util.LinkedHashMap;
import java.util.List;
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
