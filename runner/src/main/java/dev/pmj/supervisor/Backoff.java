package dev.pmj.supervisor;

import java.time.Duration;

/** Delay before the n-th consecutive restart after a failure: {@code base × 2^(n−1)}, capped. */
record Backoff(Duration base, Duration max) {
  public Duration delayFor(int failures) {
    if (failures <= 0) return Duration.ZERO;
    Duration d = base;
    for (int i = 1; i < failures; i++) {
      d = d.multipliedBy(2);
      if (d.compareTo(max) >= 0) return max;
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
