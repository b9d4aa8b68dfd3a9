package dev.engage.schemas.redis;

/**
 * DESIGN.md's Redis hashes of analytics figures, written by the Flink job's analytics totals and
 * read by the API. Each field holds an absolute total (a decimal number); but for {@link #segments}
 * totals only grow, so a replay after a restore never moves one backwards. A field is {@code
 * metric|name} or, for attribution, {@code model|dimension|name}: the name comes last because a
 * rule, offer, channel or agent id may itself hold a {@code |}; split on the first one (two) only.
 */
public final class AnalyticsKeys {
  /** Separates the parts of a field. */
  public static final String SEPARATOR = "|";

  private AnalyticsKeys() {}

  /**
   * Per rule or offer (a campaign): {@code fired}, {@code decided}, {@code sent}, {@code deferred},
   * {@code suppressed:REASON}, {@code delivered}, {@code opened}, {@code clicked}, {@code bounced},
   * {@code failed}, {@code accepted}, {@code dismissed}, and for uplift {@code exposed:treated},
   * {@code exposed:control}, {@code converted:treated}, {@code converted:control} (customers, each
   * counted once per campaign and window).
   */
  public static String campaigns() {
    return "analytics:campaigns";
  }

  /**
   * Attribution credit summed over conversions: {@code model|channel|email}, {@code
   * model|campaign|rule-id} ({@code model} one of firstTouch, lastTouch, linear, timeDecay,
   * positionBased; campaign {@code -} for touches without one), and {@code
   * count|total|conversions}, {@code value|total|conversions}.
   */
  public static String attribution() {
    return "analytics:attribution";
  }

  /** Per UTC day ({@code 2026-12-03}): {@code fired}, {@code sent}, {@code converted}. */
  public static String daily() {
    return "analytics:daily";
  }

  /**
   * Per agent: {@code calls}, {@code handleSeconds} (from call_ended touchpoints), {@code shown}
   * (actions an agent answered for: accepted or dismissed), {@code accepted}, {@code dismissed},
   * {@code exposed} (customers an agent accepted an action for, once per window) and {@code
   * converted} (those of them converting within the window after).
   */
  public static String agents() {
    return "analytics:agents";
  }

  /**
   * The 7P view per segment ({@code *} for all customers), as of the customers' latest profile
   * versions: {@code customers}, {@code product:CATEGORY}, {@code price:BAND}, {@code
   * place:CHANNEL} (customers), {@code people:calls}, {@code process:openCases} (sums) and {@code
   * process:withOpenCase} (customers). Unlike the other hashes these go down as well as up (a
   * customer leaves a segment), so each write sets the field.
   */
  public static String segments() {
    return "analytics:segments";
  }

  /** A field of {@link #campaigns}, {@link #daily}, {@link #agents} or {@link #segments}. */
  public static String field(String metric, String name) {
    return metric + SEPARATOR + name;
  }

  /** A field of {@link #attribution}. */
  public static String attributionField(String model, String dimension, String name) {
    return model + SEPARATOR + dimension + SEPARATOR + name;
  }
}
