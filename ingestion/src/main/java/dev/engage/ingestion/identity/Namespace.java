package dev.engage.ingestion.identity;

import dev.engage.schemas.identity.PersonalData;
import java.util.List;

/**
 * A kind of identifier, as declared in the ingestion config. A unique namespace holds one value per
 * identity (a person has one customer id, one loyalty card), so a link that would give an identity
 * a second value is refused. Personal namespaces are stored hashed (SHA-256 of the normalized
 * value).
 *
 * @param fields JSON pointers into a Segment event where values of this namespace are found
 */
public record Namespace(
    String name, boolean unique, boolean personal, Format format, List<String> fields) {

  /** How values are normalized before they are compared or hashed. */
  public enum Format {
    TEXT,
    EMAIL,
    PHONE
  }

  public Namespace {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "identity namespace '" + name + "' must be snake_case (a-z, 0-9, _)");
    }
    fields = List.copyOf(fields);
  }

  /** The value as stored in keys and links: normalized, and hashed when personal. */
  public String keyValue(String raw) {
    String normalized =
        switch (format) {
          case EMAIL -> PersonalData.normalizeEmail(raw);
          case PHONE -> PersonalData.normalizePhone(raw);
          case TEXT -> raw.trim();
        };
    return personal ? PersonalData.sha256(normalized) : normalized;
  }

  /** The identifier as a link key: {@code namespace:value}. */
  public String key(String raw) {
    return name + ":" + keyValue(raw);
  }
}
