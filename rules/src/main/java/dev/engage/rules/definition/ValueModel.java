package dev.engage.rules.definition;

import java.time.Instant;

/**
 * Customer lifetime value as fitted over every profile: the parameters of a BG/NBD model of how
 * often customers buy and when they leave, and of a Gamma-Gamma model of what they spend (Fader,
 * Hardie and Lee), time in days. Published by {@code engage value fit}; the profile job applies it
 * to each customer's purchase days.
 *
 * @param purchases BG/NBD: r and alpha (the Gamma mixing of purchase rates), a and b (the Beta
 *     mixing of the chance to leave after a purchase)
 * @param spend Gamma-Gamma: p, q and gamma
 * @param fittedOn how many customers the fit read; 0 when not given
 * @param fittedAt when it was fitted; null when not given
 * @param version the published version (0 for a definition not published yet)
 */
public record ValueModel(
    String id,
    String name,
    String owner,
    boolean enabled,
    PurchaseRates purchases,
    Spend spend,
    long fittedOn,
    Instant fittedAt,
    int version)
    implements Definition {
  public static final String KIND = "value_model";

  @Override
  public String kind() {
    return KIND;
  }

  /** The same model as published under a version. */
  public ValueModel withVersion(int published) {
    return new ValueModel(
        id, name, owner, enabled, purchases, spend, fittedOn, fittedAt, published);
  }

  /** BG/NBD's parameters, each positive. */
  public record PurchaseRates(double r, double alpha, double a, double b) {}

  /** Gamma-Gamma's parameters, each positive. */
  public record Spend(double p, double q, double gamma) {}
}
