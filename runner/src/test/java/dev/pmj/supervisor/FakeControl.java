package dev.pmj.supervisor;

import dev.pmj.os.Child;
import dev.pmj.os.Marked;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.Signal;
import dev.pmj.os.StartException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ProcessControl} that starts {@link FakeChild}ren: no OS process, every effect on the
 * test's thread. The test decides what fails to start, which processes carry the marker, and
 * whether the OS could show them.
 */
final class FakeControl implements ProcessControl {
  final List<FakeChild> started = new ArrayList<>();

  /** Signals to single marked processes, as "PID SIGNAL". */
  final List<String> markedSignals = new ArrayList<>();

  final List<Long> forgotten = new ArrayList<>();
  private long nextPid = 1001;
  private String failNextStart;

  /** The marked processes by pmj process id, as {@link #marked()} answers. */
  Map<String, List<Marked>> marked = Map.of();

  boolean findsMarked = true;

  /** The next start fails with this reason ("No such file or directory"). */
  void failNextStart(String reason) {
    failNextStart = reason;
  }

  /** The last child started. */
  FakeChild last() {
    if (started.isEmpty()) throw new AssertionError("nothing was started");
    return started.get(started.size() - 1);
  }

  FakeChild byPid(long pid) {
    for (FakeChild c : started) if (c.pid == pid) return c;
    return null;
  }

  /** The output source of the fake children: what they print reaches their reader at once. */
  OutputReader.Source output() {
    return (id, child, reader) -> {
      FakeChild c = byPid(child.pid());
      if (c == null) throw new IllegalStateException("not a fake child: " + child.pid());
      c.attach(reader);
    };
  }

  @Override
  public Child start(List<String> argv, Path cwd, Map<String, String> env, boolean withInput)
      throws StartException {
    if (withInput)
      throw new UnsupportedOperationException("interactive processes run on real ones");
    if (failNextStart != null) {
      String why = failNextStart;
      failNextStart = null;
      throw new StartException(why);
    }
    FakeChild c = new FakeChild(nextPid++, argv, env);
    started.add(c);
    return c.child();
  }

  @Override
  public void signalGroup(long pid, Signal signal) {
    FakeChild c = byPid(pid);
    if (c != null) c.signal(signal);
  }

  @Override
  public String runId() {
    return "fake-run";
  }

  @Override
  public CompletableFuture<Map<String, List<Marked>>> marked() {
    return CompletableFuture.completedFuture(marked);
  }

  @Override
  public boolean findsMarked() {
    return findsMarked;
  }

  @Override
  public void signal(Marked process, Signal signal) {
    markedSignals.add(process.pid() + " " + signal.name());
  }

  @Override
  public void forget(long pid) {
    forgotten.add(pid);
  }

  @Override
  public void close() {}
}
