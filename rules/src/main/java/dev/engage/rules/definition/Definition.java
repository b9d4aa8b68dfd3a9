package dev.engage.rules.definition;

/**
 * Something a marketer publishes on the {@code rules} topic: a trigger rule, a segment or a scoring
 * model. Every kind has an id, an owner, an on/off switch and the version it was published under.
 */
public sealed interface Definition permits Rule, Segment, ScoringModel {
  String id();

  /** {@code rule}, {@code segment} or {@code scoring_model}, as written in the definition. */
  String kind();

  boolean enabled();

  /** Who is responsible for it; null when not given. */
  String owner();

  /** The published version (0 for a definition not published yet). */
  int version();
}
