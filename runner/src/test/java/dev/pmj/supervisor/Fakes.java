package dev.pmj.supervisor;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a supervisor runs on, faked: the OS ({@link FakeControl}), time ({@link
 * SettableClock}, {@link ManualTimers}), probes ({@link ManualProbes}), and threads (every message
 * runs on the test's thread as soon as it is sent). What happens is what the test makes happen, in
 * the order it does, with nothing left running.
 */
final class Fakes {
  final SettableClock clock = new SettableClock();
  final ManualTimers timers = new ManualTimers(clock);
  final FakeControl control = new FakeControl();
  final ManualProbes probes = new ManualProbes();
  final EventStream events = new EventStream();

  /** Every state change, as the supervisor hears it, in order. */
  final List<ProcessEvent.StateChanged> changes = new ArrayList<>();

  /** Errors thrown by a message: none is expected. */
  final List<Throwable> errors = new ArrayList<>();

  private final Path dir;

  /** {@code dir}: where the test's pmj.yaml is written. */
  Fakes(Path dir) {
    this.dir = dir;
  }

  /** The threads of a supervisor: the test's own. */
  Workers workers() {
    return new Workers(Runnable::run, timers, control.output(), probes, () -> {});
  }

  /** What the process supervisors share, reporting state changes to {@link #changes}. */
  Services services() {
    return new Services(
        control,
        events,
        clock,
        timers,
        control.output(),
        Runnable::run,
        probes,
        Map.of(),
        false,
        changes::add,
        (t, e) -> errors.add(e));
  }

  Project project(String yaml) throws Exception {
    Path f = Fixtures.writeConfig(dir, yaml);
    LoadResult r = new ConfigLoader(Map.of(), dir, false).load(f);
    if (!r.problems().isEmpty()) throw new AssertionError(r.problems().toString());
    return r.project();
  }

  /** The only process of {@code yaml}, under the fakes. */
  ProcessSupervisor process(String yaml) throws Exception {
    List<ProcessSpec> all = project(yaml).processes();
    if (all.size() != 1) throw new AssertionError("one process expected: " + all);
    return new ProcessSupervisor(all.get(0), services());
  }

  /** A supervisor of every process of {@code yaml}, under the fakes (no metrics sampling). */
  Supervisor supervisor(String yaml) throws Exception {
    Project project = project(yaml);
    List<String> ids = new ArrayList<>();
    project.processes().forEach(s -> ids.add(s.id()));
    return new Supervisor(
        project,
        ids,
        new Supervisor.Options(Map.of(), false, null, Duration.ofSeconds(2)),
        control,
        events,
        clock,
        workers());
  }

  /** The states {@code id} went through, in order. */
  List<ProcessState> states(String id) {
    List<ProcessState> out = new ArrayList<>();
    for (ProcessEvent.StateChanged c : changes) if (c.id().equals(id)) out.add(c.to());
    return out;
  }

  /**
   * pmj's own lines so far, as every view shows them ("svc: started (pid 1001)"), and the
   * processes' output lines as "id| text".
   */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    for (LogStore.Line l : events.logs().lines(LogStore.Query.all())) {
      out.add(l.id().equals(LogStore.PMJ) ? l.text() : l.id() + "| " + l.text());
    }
    return out;
  }

  /** The lines since {@code mark} (a size of {@link #lines()} taken before). */
  List<String> linesSince(int mark) {
    List<String> all = lines();
    return all.subList(mark, all.size());
  }

  void advance(Duration d) {
    timers.advance(d);
  }
}
