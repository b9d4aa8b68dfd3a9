package dev.engage.rules.definition;

import dev.engage.rules.cel.Condition;
import java.time.Duration;
import java.util.List;

/**
 * How marketing scores leads: points per event (decaying with the half-life, so last month's visits
 * count less than today's) plus points per trait of the profile, scaled so that {@code cap} raw
 * points make a score of 100.
 *
 * @param halfLife after which an event's points have halved
 * @param cap the raw points at which the score is 100
 * @param events at least one
 * @param traits possibly none
 * @param version the published version (0 for a definition not published yet)
 */
public record ScoringModel(
    String id,
    String name,
    String owner,
    boolean enabled,
    Duration halfLife,
    double cap,
    List<EventPoints> events,
    List<TraitPoints> traits,
    int version)
    implements Definition {
  public static final String KIND = "scoring_model";

  public ScoringModel {
    events = List.copyOf(events);
    traits = List.copyOf(traits);
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** The same model as published under a version. */
  public ScoringModel withVersion(int published) {
    return new ScoringModel(id, name, owner, enabled, halfLife, cap, events, traits, published);
  }

  /**
   * Points for each event of a type, on one channel or (when {@code channel} is null) on any.
   *
   * @param points may be negative (e.g. for an unsubscribe)
   */
  public record EventPoints(String type, String channel, double points) {
    /** How agents see it among a score's factors: "page_view on web", or "demo_requested". */
    public String factor() {
      return channel == null ? type : type + " on " + channel;
    }
  }

  /**
   * Points for a customer whose profile meets the condition.
   *
   * @param name how agents see it among a score's factors
   */
  public record TraitPoints(String name, Condition condition, double points) {}
}
