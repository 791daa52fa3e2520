package dev.pmj.cli;

import dev.pmj.os.Signal;
import dev.pmj.supervisor.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When {@code pmj up -d} may return, and what it says (README, "In the background"), as {@code
 * docker compose up -d --wait} does: each process it started is up once it passed its readiness
 * probe, or, without one, once its latest run has lasted {@link #SETTLE}; a process that exited 0
 * for good has completed. A process in backoff after a crash is crash-looping, one that failed has
 * failed, one that exited for good with another code has ended: each makes it exit 1. Pure: fed one
 * snapshot at a time.
 */
final class StartWait {
  /** How long a process without a probe must stay running to count as up. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  /** The longest {@code pmj up -d} waits in all; then what is not up is named. */
  static final Duration CAP = Duration.ofSeconds(60);

  private final Set<String> ids;
  private final Instant began;
  private final Set<String> exitedBefore = new HashSet<>();
  private Instant firstBad;

  /** What is known after one look: whether to return, and a line per process that is not up. */
  record Verdict(boolean done, List<String> problems) {}

  StartWait(Collection<String> ids, Instant began) {
    this.ids = Set.copyOf(ids);
    this.began = began;
  }

  /**
   * Looks at the processes once. Done when every one is up, or (after a bad one was seen) once the
   * others had {@link #SETTLE} to settle too, or at {@link #CAP}.
   */
  Verdict look(List<ProcessInfo> processes, Instant now) {
    Map<String, String> bad = new LinkedHashMap<>();
    Map<String, String> waiting = new LinkedHashMap<>();
    Set<String> exited = new HashSet<>();
    for (ProcessInfo p : processes) {
      if (!ids.contains(p.id())) continue;
      switch (p.state()) {
        case READY -> {
          boolean settled =
              !p.readiness().equals("none")
                  || (p.startedAt() != null
                      && Duration.between(p.startedAt(), now).compareTo(SETTLE) >= 0);
          if (!settled) waiting.put(p.id(), "running for less than " + SETTLE.toSeconds() + "s");
        }
        case RUNNING -> waiting.put(p.id(), "running, not ready yet (" + p.readiness() + " probe)");
        case PENDING -> waiting.put(p.id(), "waiting for its dependencies");
        case STARTING -> waiting.put(p.id(), "starting");
        // Its message says how it ended and when it restarts ("exited with code 1, restarting
        // in 2s (retry 1)").
        case BACKOFF -> bad.put(p.id(), "is crash-looping: " + p.message());
        case FAILED -> bad.put(p.id(), "failed: " + p.message());
        case EXITED -> {
          if (Integer.valueOf(0).equals(p.exitCode())) break;
          // An exit seen once may be the moment before its backoff: look again first.
          exited.add(p.id());
          if (exitedBefore.contains(p.id())) bad.put(p.id(), lastExit(p));
          else waiting.put(p.id(), lastExit(p));
        }
        default -> {} // stopped by someone meanwhile: not this command's business
      }
    }
    exitedBefore.clear();
    exitedBefore.addAll(exited);
    if (!bad.isEmpty() && firstBad == null) firstBad = now;
    boolean capped = Duration.between(began, now).compareTo(CAP) >= 0;
    boolean graceOver = firstBad != null && Duration.between(firstBad, now).compareTo(SETTLE) >= 0;
    if (!waiting.isEmpty() && !capped && !graceOver) return new Verdict(false, List.of());
    List<String> lines = new ArrayList<>();
    bad.forEach(
        (id, why) -> lines.add("pmj: " + id + " " + why + "; pmj logs " + id + " shows why"));
    waiting.forEach(
        (id, why) ->
            lines.add(
                "pmj: "
                    + id
                    + " is not up after "
                    + Duration.between(began, now).toSeconds()
                    + "s: "
                    + why
                    + "; pmj logs "
                    + id
                    + " shows why"));
    return new Verdict(true, lines);
  }

  private static String lastExit(ProcessInfo p) {
    return p.exitCode() == null ? "ended" : Signal.describeExit(p.exitCode());
  }
}
