package dev.pmj.supervisor;

import dev.pmj.os.ProcessControl;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What every process supervisor shares: the OS, the stream, time, threads, probes. Tests pass fakes
 * of the OS, time and threads here.
 */
record Services(
    ProcessControl control,
    EventStream events,
    Clock clock,
    Timers timers,
    OutputReader.Source output,
    Executor pool,
    ReadinessCheck probes,
    Map<String, String> environment,
    boolean forceColor,
    Consumer<ProcessEvent.StateChanged> onStateChanged,
    Thread.UncaughtExceptionHandler onError) {

  /** The environment a process runs with: pmj's own, then the file's variables ({@code own}). */
  Map<String, String> environmentFor(Map<String, String> own) {
    Map<String, String> env = new HashMap<>(environment);
    // Python buffers stdout in pipes; without this, its lines arrive late and out of order.
    env.putIfAbsent("PYTHONUNBUFFERED", "1");
    if (forceColor) env.put("FORCE_COLOR", "1");
    env.putAll(own);
    // Inherited by every descendant: how pmj finds those that leave the process group.
    env.put(ProcessControl.MARKER, control.runId());
    return env;
  }
}
