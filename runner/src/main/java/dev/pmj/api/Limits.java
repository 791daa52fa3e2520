package dev.pmj.api;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How long a client may take, and where pmj's own lines go (README, "From a second terminal");
 * tests shorten the times.
 *
 * @param headers from a request's first byte to the end of its headers
 * @param body from then to the end of its body
 * @param stalled while {@link Connections#PRESSURE} connections or more are open, a connection is
 *     closed when it has waited this long for a request, or for the rest of a request's head or
 *     body
 * @param refusals how long refused requests are counted before pmj says how many there were
 * @param say writes one of pmj's own lines
 */
record Limits(
    Duration headers, Duration body, Duration stalled, Duration refusals, Consumer<String> say) {
  static Limits of(Consumer<String> say) {
    return new Limits(
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        // Long enough for any client of pmj on this machine to send a whole request, short
        // enough that the user's next command is answered about a second into a flood.
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        say);
  }

  /** A time as pmj's lines give it: whole seconds, or milliseconds. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
