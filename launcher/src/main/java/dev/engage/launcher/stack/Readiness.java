package dev.engage.launcher.stack;

/** Answers whether a started service accepts work yet. */
@FunctionalInterface
public interface Readiness {
  /** True when ready; false (or an exception) while not yet. */
  boolean check() throws Exception;
}
