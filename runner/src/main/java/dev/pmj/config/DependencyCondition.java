package dev.pmj.config;

import java.util.Locale;

/** What a process waits for in each of its dependencies. */
public enum DependencyCondition {
  /** The dependency's process has been started. */
  STARTED,
  /** The dependency passed its readiness probe (or has started, if it has none). */
  READY,
  /** The dependency ran and exited with code 0. */
  COMPLETED;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static DependencyCondition of(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
