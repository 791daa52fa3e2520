package dev.pmj.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a request to stop {@code pmj up} means after the ones before it (README, "`pmj up`":
 * signals): the first stops every process gracefully; a termination signal within {@link #SAME} of
 * the first is that same request ({@code timeout}, systemd and other supervisors signal pmj and
 * then its group, milliseconds apart); a later signal, or Ctrl-C pressed again (a key is never sent
 * twice), kills every process at once. Requests that do not escalate (q, pmj down, stdout closed)
 * never kill.
 */
final class StopRequests {
  /** How long after the first request a termination signal is the same request. */
  static final Duration SAME = Duration.ofSeconds(1);

  enum Kind {
    /** SIGINT, SIGTERM or SIGHUP: may arrive twice for one request. */
    SIGNAL,
    /** Ctrl-C pressed in the console. */
    CTRL_C,
    /** Anything that asks for a graceful stop only. */
    QUIET
  }

  enum Outcome {
    /** The first request: stop every process gracefully. */
    STOP,
    /** Nothing more to do: a stop is under way. */
    SAME,
    /** Again: kill every process now. */
    KILL
  }

  private final Clock clock;
  private Instant first;

  StopRequests(Clock clock) {
    this.clock = clock;
  }

  synchronized Outcome request(Kind kind) {
    Instant now = clock.instant();
    if (first == null) {
      first = now;
      return Outcome.STOP;
    }
    return switch (kind) {
      case QUIET -> Outcome.SAME;
      case CTRL_C -> Outcome.KILL;
      case SIGNAL -> Duration.between(first, now).compareTo(SAME) < 0 ? Outcome.SAME : Outcome.KILL;
    };
  }
}
