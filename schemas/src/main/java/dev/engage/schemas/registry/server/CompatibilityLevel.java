package dev.engage.schemas.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 *
 * <p>BACKWARD: consumers on the new schema can read data written with the old one (new reader, old
 * writer). FORWARD: the other way round. FULL: both. The transitive variants check against every
 * live version, the others only against the latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Parses a level as Confluent clients send it (case-insensitive). */
  public static CompatibilityLevel parse(String text) {
    if (text == null) {
      throw RegistryError.invalidCompatibilityLevel();
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RegistryError.invalidCompatibilityLevel();
    }
  }

  /**
   * Problems that make {@code candidate} incompatible with the existing schemas (oldest first);
   * empty when it is compatible.
   */
  public List<String> problems(Schema candidate, List<Schema> existingOldestFirst) {
    List<String> problems = new ArrayList<>();
    if (existingOldestFirst.isEmpty()) {
      return problems;
    }
    List<Schema> checked =
        transitive
            ? existingOldestFirst
            : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
    for (Schema existing : checked) {
      if (newReadsOld) {
        problems.addAll(describe(candidate, existing, "new schema reading old data"));
      }
      if (oldReadsNew) {
        problems.addAll(describe(existing, candidate, "old schema reading new data"));
      }
    }
    return problems;
  }

  private static List<String> describe(Schema reader, Schema writer, String direction) {
    List<String> found = new ArrayList<>();
    for (Incompatibility incompatibility :
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
            .getResult()
            .getIncompatibilities()) {
      found.add(
          String.format(
              "{errorType:'%s', description:'%s: %s at %s (%s)', additionalInfo:'%s'}",
              incompatibility.getType(),
              incompatibility.getType().name().toLowerCase(Locale.ROOT).replace('_', ' '),
              incompatibility.getMessage(),
              incompatibility.getLocation(),
              direction,
              incompatibility.getMessage()));
    }
    return found;
  }
}
