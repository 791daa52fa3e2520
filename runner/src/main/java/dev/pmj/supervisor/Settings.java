package dev.pmj.supervisor;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Readiness;
import dev.pmj.config.RestartPolicy;
import dev.pmj.os.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the state machine of one process needs from its definition, read in {@link #of} alone: a
 * change to the shape of {@link ProcessSpec} changes that method, not the state machine.
 *
 * @param env the file's variables for the process (pmj's own are added at start)
 * @param stopCommand empty for none
 * @param maxMemory 0 for no limit
 */
record Settings(
    String id,
    List<String> command,
    Path cwd,
    Map<String, String> env,
    Readiness readiness,
    RestartPolicy restart,
    int maxRetries,
    Backoff backoff,
    Duration healthyAfter,
    Signal stopSignal,
    Duration stopTimeout,
    List<String> stopCommand,
    boolean daemon,
    long maxMemory,
    boolean interactive) {

  static Settings of(ProcessSpec spec) {
    return new Settings(
        spec.id(),
        spec.command(),
        spec.cwd(),
        spec.env(),
        spec.readiness(),
        spec.restart().policy(),
        spec.restart().maxRetries(),
        new Backoff(spec.restart().backoff(), spec.restart().backoffMax()),
        spec.restart().healthyAfter(),
        Signal.of(spec.stop().signal()),
        spec.stop().timeout(),
        spec.stopCommand(),
        spec.daemon(),
        spec.maxMemory(),
        spec.interactive());
  }
}
