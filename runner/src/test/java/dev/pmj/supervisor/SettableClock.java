package dev.pmj.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the test moves it (through {@link ManualTimers#advance}). */
final class SettableClock extends Clock {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public Instant instant() {
    return now;
  }

  void set(Instant to) {
    if (to.isBefore(now)) throw new IllegalArgumentException(to + " is before " + now);
    now = to;
  }

  /** How long since the clock started. */
  Duration elapsed() {
    return Duration.between(Instant.parse("2026-01-01T00:00:00Z"), now);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a settable clock has one zone");
  }
}
