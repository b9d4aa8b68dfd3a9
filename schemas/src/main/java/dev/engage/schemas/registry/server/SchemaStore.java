package dev.engage.schemas.registry.server;

import dev.engage.schemas.registry.RegisteredSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The registry's state: subjects with their versions, schemas by global id and compatibility
 * levels, with Confluent's rules (same schema = same id everywhere; versions count up per subject;
 * soft delete first, then permanent delete).
 *
 * <p>Every change is written to the {@link KafkaSchemaLog} before it is applied, so what a caller
 * was told has been stored survives a restart. One registry process writes to a topic at a time;
 * methods are synchronized so concurrent requests see a consistent state.
 */
final class SchemaStore {
  /** A schema version under a subject. */
  private record Version(int version, int id, String schema, boolean deleted) {}

  private final KafkaSchemaLog log;
  private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  SchemaStore(KafkaSchemaLog log, CompatibilityLevel defaultLevel) {
    this.log = log;
    this.globalLevel = defaultLevel;
    log.readAll().forEach(this::apply);
  }

  /** Parses a schema as clients send it; 422/42201 with Avro's reason when it is not valid. */
  static Schema parse(String text) {
    if (text == null || text.isBlank()) {
      throw RegistryError.invalidSchema("(empty): the body must hold a \"schema\" field");
    }
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException | NullPointerException e) {
      throw RegistryError.invalidSchema(text + ", details: " + e.getMessage());
    }
  }

  synchronized int register(String subject, Schema schema) {
    String text = schema.toString();
    NavigableMap<Integer, Version> versions = subjects.getOrDefault(subject, new TreeMap<>());
    for (Version v : versions.values()) {
      if (!v.deleted() && v.schema().equals(text)) {
        return v.id();
      }
    }
    CompatibilityLevel level = levelOf(subject);
    List<String> problems = level.problems(schema, liveSchemas(versions));
    if (!problems.isEmpty()) {
      throw RegistryError.incompatibleSchema(
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems
              + ", {compatibility: '"
              + level
              + "'}");
    }
    Integer known = idBySchema.get(text);
    int id = known != null ? known : maxId + 1;
    // Burn a new id before writing: if the write times out but lands later, the id is never
    // handed to another schema.
    maxId = Math.max(maxId, id);
    // Like Confluent: the same schema registered again replaces its soft-deleted versions.
    for (Version v : List.copyOf(versions.values())) {
      if (v.deleted() && v.schema().equals(text)) {
        write(new LogEntry.SchemaVersionRemoved(subject, v.version()));
      }
    }
    NavigableMap<Integer, Version> remaining = subjects.getOrDefault(subject, new TreeMap<>());
    int version = remaining.isEmpty() ? 1 : remaining.lastKey() + 1;
    write(new LogEntry.SchemaVersion(subject, version, id, text, false));
    return id;
  }

  synchronized RegisteredSchema lookup(String subject, Schema schema, boolean includeDeleted) {
    NavigableMap<Integer, Version> versions = existingSubject(subject, includeDeleted);
    String text = schema.toString();
    return versions.descendingMap().values().stream()
        .filter(v -> (includeDeleted || !v.deleted()) && v.schema().equals(text))
        .findFirst()
        .map(v -> registered(subject, v))
        .orElseThrow(RegistryError::schemaNotFound);
  }

  synchronized String schemaById(int id) {
    String schema = schemaById.get(id);
    if (schema == null) {
      throw RegistryError.schemaIdNotFound(id);
    }
    return schema;
  }

  synchronized List<String> subjects(boolean includeDeleted) {
    List<String> names = new ArrayList<>();
    subjects.forEach(
        (name, versions) -> {
          if (versions.values().stream().anyMatch(v -> includeDeleted || !v.deleted())) {
            names.add(name);
          }
        });
    return names;
  }

  synchronized List<Integer> versions(String subject, boolean includeDeleted) {
    return existingSubject(subject, includeDeleted).values().stream()
        .filter(v -> includeDeleted || !v.deleted())
        .map(Version::version)
        .toList();
  }

  /** A version by number or "latest"; soft-deleted ones only when asked for. */
  synchronized RegisteredSchema version(String subject, String spec, boolean includeDeleted) {
    return registered(subject, find(subject, spec, includeDeleted));
  }

  /** Soft-deletes every version (or removes them for good once soft-deleted). */
  synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    NavigableMap<Integer, Version> versions = existingSubject(subject, true);
    boolean anyLive = versions.values().stream().anyMatch(v -> !v.deleted());
    List<Integer> affected = versions.values().stream().map(Version::version).toList();
    if (permanent) {
      if (anyLive) {
        throw RegistryError.subjectNotSoftDeleted(subject);
      }
      affected.forEach(v -> write(new LogEntry.SchemaVersionRemoved(subject, v)));
      if (subjectLevels.containsKey(subject)) {
        write(new LogEntry.ConfigRemoved(subject));
      }
      return affected;
    }
    if (!anyLive) {
      throw RegistryError.subjectSoftDeleted(subject);
    }
    List<Integer> deleted = new ArrayList<>();
    for (Version v : versions.values()) {
      if (!v.deleted()) {
        write(new LogEntry.SchemaVersion(subject, v.version(), v.id(), v.schema(), true));
        deleted.add(v.version());
      }
    }
    return deleted;
  }

  synchronized int deleteVersion(String subject, String spec, boolean permanent) {
    // "latest" means the latest live version; a number may name a soft-deleted one.
    Version v = find(subject, spec, !isLatest(spec));
    if (permanent) {
      if (!v.deleted()) {
        throw RegistryError.versionNotSoftDeleted(subject, v.version());
      }
      write(new LogEntry.SchemaVersionRemoved(subject, v.version()));
    } else {
      if (v.deleted()) {
        throw RegistryError.versionSoftDeleted(subject, v.version());
      }
      write(new LogEntry.SchemaVersion(subject, v.version(), v.id(), v.schema(), true));
    }
    return v.version();
  }

  /** Why the schema is incompatible with the given version under the subject's level. */
  synchronized List<String> compatibilityProblems(String subject, String spec, Schema schema) {
    if (isLatest(spec) && liveSchemas(subjects.getOrDefault(subject, new TreeMap<>())).isEmpty()) {
      return List.of(); // like Confluent 7+: anything is compatible with nothing
    }
    Version against = find(subject, spec, false);
    return levelOf(subject).problems(schema, List.of(parse(against.schema())));
  }

  /** Why the schema is incompatible with all live versions under the subject's level. */
  synchronized List<String> compatibilityProblemsWithAll(String subject, Schema schema) {
    return levelOf(subject)
        .problems(schema, liveSchemas(subjects.getOrDefault(subject, new TreeMap<>())));
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized void setGlobalLevel(CompatibilityLevel level) {
    write(new LogEntry.Config(null, level));
  }

  /** The subject's own level, or the global one when asked to fall back. */
  synchronized CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    CompatibilityLevel level = subjectLevels.get(subject);
    if (level != null) {
      return level;
    }
    if (defaultToGlobal) {
      return globalLevel;
    }
    throw RegistryError.subjectLevelCompatibilityNotConfigured(subject);
  }

  synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
    write(new LogEntry.Config(subject, level));
  }

  /** Removes the subject's own level and returns what it was. */
  synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
    if (!subjects.containsKey(subject) && !subjectLevels.containsKey(subject)) {
      throw RegistryError.subjectNotFound(subject);
    }
    CompatibilityLevel previous = subjectLevel(subject, true);
    if (subjectLevels.containsKey(subject)) {
      write(new LogEntry.ConfigRemoved(subject));
    }
    return previous;
  }

  private CompatibilityLevel levelOf(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private Version find(String subject, String spec, boolean includeDeleted) {
    NavigableMap<Integer, Version> versions = existingSubject(subject, includeDeleted);
    Predicate<Version> visible = v -> includeDeleted || !v.deleted();
    if (isLatest(spec)) {
      return versions.descendingMap().values().stream()
          .filter(visible)
          .findFirst()
          .orElseThrow(() -> RegistryError.subjectNotFound(subject));
    }
    int number = parseVersion(spec);
    Version v = versions.get(number);
    if (v == null || !visible.test(v)) {
      throw RegistryError.versionNotFound(number);
    }
    return v;
  }

  private static boolean isLatest(String spec) {
    return "latest".equals(spec) || "-1".equals(spec);
  }

  private static int parseVersion(String spec) {
    try {
      int number = Integer.parseInt(spec);
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RegistryError.invalidVersion(spec);
  }

  private NavigableMap<Integer, Version> existingSubject(String subject, boolean includeDeleted) {
    NavigableMap<Integer, Version> versions = subjects.get(subject);
    if (versions == null
        || versions.values().stream().noneMatch(v -> includeDeleted || !v.deleted())) {
      throw RegistryError.subjectNotFound(subject);
    }
    return versions;
  }

  private static List<Schema> liveSchemas(NavigableMap<Integer, Version> versions) {
    return versions.values().stream()
        .filter(v -> !v.deleted())
        .map(v -> parse(v.schema()))
        .toList();
  }

  private static RegisteredSchema registered(String subject, Version v) {
    return new RegisteredSchema(subject, v.version(), v.id(), parse(v.schema()));
  }

  private void write(LogEntry entry) {
    log.append(entry);
    apply(entry);
  }

  private void apply(LogEntry entry) {
    if (entry instanceof LogEntry.SchemaVersion v) {
      subjects
          .computeIfAbsent(v.subject(), s -> new TreeMap<>())
          .put(v.version(), new Version(v.version(), v.id(), v.schema(), v.deleted()));
      schemaById.putIfAbsent(v.id(), v.schema());
      idBySchema.putIfAbsent(v.schema(), v.id());
      maxId = Math.max(maxId, v.id());
    } else if (entry instanceof LogEntry.SchemaVersionRemoved r) {
      NavigableMap<Integer, Version> versions = subjects.get(r.subject());
      if (versions != null) {
        versions.remove(r.version());
        if (versions.isEmpty()) {
          subjects.remove(r.subject());
        }
      }
    } else if (entry instanceof LogEntry.Config c) {
      if (c.subject() == null) {
        globalLevel = c.level();
      } else {
        subjectLevels.put(c.subject(), c.level());
      }
    } else if (entry instanceof LogEntry.ConfigRemoved r) {
      subjectLevels.remove(r.subject());
    }
  }
}
