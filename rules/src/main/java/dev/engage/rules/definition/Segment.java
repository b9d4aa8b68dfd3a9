package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;

/**
 * A named group of customers, as marketing defines it: everyone whose profile meets the condition
 * (e.g. "bought baby products twice in 30 days"). Rules fire on entering or leaving it.
 *
 * @param description null when not given
 * @param condition over {@code profile} and {@code now}
 * @param version the published version (0 for a definition not published yet)
 */
public record Segment(
    String id,
    String name,
    String description,
    String owner,
    boolean enabled,
    Condition condition,
    int version)
    implements Definition {
  public static final String KIND = "segment";

  @Override
  public String kind() {
    return KIND;
  }

  /** The same segment as published under a version. */
  public Segment withVersion(int published) {
    return new Segment(id, name, description, owner, enabled, condition, published);
  }
}
