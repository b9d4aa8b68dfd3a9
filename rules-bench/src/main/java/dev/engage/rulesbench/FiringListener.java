package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;

/**
 * Hears of each firing of a rule on a touchpoint, from Engage's evaluator or from Drools; the
 * touchpoint is null for a firing of a case whose time came (an absence).
 */
@FunctionalInterface
public interface FiringListener {
  void fired(String ruleId, Touchpoint event);
}
