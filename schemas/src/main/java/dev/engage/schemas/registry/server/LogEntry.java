package dev.engage.schemas.registry.server;

/**
 * One change to the registry's state as kept in the {@code _schemas} topic. Applying every entry in
 * topic order rebuilds the state; compaction keeps the latest entry per key, which is enough.
 */
sealed interface LogEntry {

  /** A schema version of a subject, live or soft-deleted. */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
      implements LogEntry {}

  /** A schema version removed for good (a tombstone in the topic). */
  record SchemaVersionRemoved(String subject, int version) implements LogEntry {}

  /** A compatibility level, global when subject is null. */
  record Config(String subject, CompatibilityLevel level) implements LogEntry {}

  /** A subject's own compatibility level removed (a tombstone), so the global one applies. */
  record ConfigRemoved(String subject) implements LogEntry {}
}
