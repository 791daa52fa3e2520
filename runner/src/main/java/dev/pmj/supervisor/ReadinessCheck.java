package dev.pmj.supervisor;

import dev.pmj.config.Readiness;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs one readiness probe (http, tcp, exec): {@link Probes}, or a test's answer. */
interface ReadinessCheck {
  /** Completes with true when the probe passed. Never completes exceptionally. */
  CompletableFuture<Boolean> check(Readiness r, Path cwd, Map<String, String> env);
}
