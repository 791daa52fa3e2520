package dev.pmj.supervisor;

import dev.pmj.config.Readiness;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Readiness probes that the test answers, one check at a time, in the order they were asked. */
final class ManualProbes implements ReadinessCheck {
  private final Deque<CompletableFuture<Boolean>> asked = new ArrayDeque<>();

  @Override
  public CompletableFuture<Boolean> check(Readiness r, Path cwd, Map<String, String> env) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    asked.add(f);
    return f;
  }

  /** How many checks wait for an answer. */
  int waiting() {
    return asked.size();
  }

  /** Answers the oldest check that waits: the probe passed or not. */
  void answer(boolean passed) {
    CompletableFuture<Boolean> f = asked.poll();
    if (f == null) throw new AssertionError("no probe is waiting");
    f.complete(passed);
  }
}
