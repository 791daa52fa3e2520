package dev.pmj.supervisor;

import dev.pmj.os.ProcessTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads CPU and memory of every running process tree every {@code every} (README, "From a second
 * terminal"), publishes them, and hands each tree's memory to its process (maxMemory). One sample
 * runs at a time, on a timer: {@link #lastCpu} is confined to it.
 */
final class Sampler {
  private final ProcessTable table;
  private final Duration every;
  private final Timers timers;
  private final EventStream events;
  private final Clock clock;
  private final Supplier<Map<String, ProcessSupervisor>> processes;
  private final Map<String, long[]> lastCpu = new HashMap<>();
  private volatile Map<String, ProcessMetrics> metrics = Map.of();

  /** The last sample failed, and said so: the next failure in a row says nothing more. */
  private boolean failing;

  // Guarded by this.
  private boolean started;
  private boolean stopped;
  private Timers.Cancellable next;

  Sampler(
      ProcessTable table,
      Duration every,
      Timers timers,
      EventStream events,
      Clock clock,
      Supplier<Map<String, ProcessSupervisor>> processes) {
    this.clock = clock;
    this.table = table;
    this.every = every;
    this.timers = timers;
    this.events = events;
    this.processes = processes;
  }

  /** CPU and memory of the process's tree at the last sample. */
  ProcessMetrics metrics(String id) {
    ProcessMetrics m = metrics.get(id);
    return m == null ? ProcessMetrics.none(id) : m;
  }

  /** Samples every {@code every} from now on (once; no table, no samples). */
  synchronized void start() {
    if (started || stopped || table == null) return;
    started = true;
    next = timers.schedule(every, this::tick);
  }

  synchronized void stop() {
    stopped = true;
    if (next != null) next.cancel();
  }

  private void tick() {
    try {
      sample();
      failing = false;
    } catch (RuntimeException e) {
      // The sample is skipped and the next one tries again; a failure that repeats is said once.
      if (!failing) {
        events.publish(
            new ProcessEvent.Notice(
                null,
                "cannot read CPU and memory of the processes: "
                    + e
                    + " (trying again every "
                    + Messages.seconds(every)
                    + ")"));
      }
      failing = true;
    }
    synchronized (this) {
      if (!stopped) next = timers.schedule(every, this::tick);
    }
  }

  /** One sample of every running tree. */
  private void sample() {
    Map<String, ProcessSupervisor> all = processes.get();
    Map<String, Long> pids = new LinkedHashMap<>();
    for (ProcessSupervisor p : all.values()) {
      long pid = p.status().pid();
      if (pid > 0) pids.put(p.id(), pid);
    }
    Map<Long, ProcessTable.Usage> usage = pids.isEmpty() ? Map.of() : table.sample(pids.values());
    long now = System.nanoTime();
    Map<String, ProcessMetrics> sampled = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      ProcessTable.Usage u = usage.get(e.getValue());
      if (u == null) continue;
      String id = e.getKey();
      long pid = e.getValue();
      long[] last = lastCpu.get(id);
      long cpu = u.cpuNanos();
      // A counter never goes down within a run: a child that ended unwaited takes its time along.
      if (last != null && last[0] == pid) cpu = Math.max(cpu, last[1]);
      double percent = 0;
      if (last != null && last[0] == pid && now > last[2]) {
        percent = 100.0 * (cpu - last[1]) / (now - last[2]);
      } else {
        // The first sample of a run: its average since it started.
        ProcessStatus s = all.get(id) == null ? null : all.get(id).status();
        if (s != null && s.startedAt() != null) {
          long ran = Duration.between(s.startedAt(), clock.instant()).toNanos();
          if (ran > 0)
            percent =
                Math.min(100.0 * cpu / ran, 100.0 * Runtime.getRuntime().availableProcessors());
        }
      }
      lastCpu.put(id, new long[] {pid, cpu, now});
      sampled.put(id, new ProcessMetrics(id, pid, percent, cpu / 1e9, u.rssBytes(), u.processes()));
      ProcessSupervisor p = all.get(id);
      if (p != null && u.rssBytes() >= 0) p.memorySample(pid, u.rssBytes());
    }
    lastCpu.keySet().retainAll(sampled.keySet());
    metrics = sampled;
    events.publish(new ProcessEvent.Sampled(new ArrayList<>(sampled.values())));
  }
}
