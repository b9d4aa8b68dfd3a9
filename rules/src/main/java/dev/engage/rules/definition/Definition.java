package dev.engage.rules.definition;

/**
 * Something a marketer publishes on the {@code rules} topic: a trigger rule, a segment, a scoring
 * model, an offer or a value model. Every kind has an id, an owner, an on/off switch and the
 * version it was published under.
 */
public sealed interface Definition permits Rule, Segment, ScoringModel, Offer, ValueModel {
  String id();

  /**
   * {@code rule}, {@code segment}, {@code scoring_model}, {@code offer} or {@code value_model}, as
   * written in the definition.
   */
  String kind();

  boolean enabled();

  /** Who is responsible for it; null when not given. */
  String owner();

  /** The published version (0 for a definition not published yet). */
  int version();

  /** The same definition as published under a version. */
  Definition withVersion(int published);

  /** A kind as a marketer reads it, with its article: "an offer", "a scoring model". */
  static String described(String kind) {
    String words = kind.replace('_', ' ');
    return (words.startsWith("o") ? "an " : "a ") + words;
  }
}
