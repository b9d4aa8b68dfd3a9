package dev.engage.rulesbench;

import dev.engage.avro.Touchpoint;

/** Hears of each firing of a rule on a touchpoint, from Engage's evaluator or from Drools. */
@FunctionalInterface
public interface FiringListener {
  void fired(String ruleId, Touchpoint event);
}
