package dev.engage.rules.decisions;

/**
 * The customers held out of marketing so that uplift can be measured: a stable hash of the customer
 * id below the configured share. Stable across restarts, jobs and machines, so a customer stays in
 * (or out of) the group for good, and the group changes only when the share does.
 */
public final class ControlGroup {
  /** Salted so that the control group is not the same customers as other hash-based splits. */
  private static final String SALT = "engage-control-group/";

  private final double share;

  public ControlGroup(double share) {
    this.share = share;
  }

  public boolean contains(String customerId) {
    return StableHash.unit(SALT + customerId) < share;
  }
}
