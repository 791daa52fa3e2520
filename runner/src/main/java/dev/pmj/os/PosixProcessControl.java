package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * POSIX: each child is started through {@code setsid}, so it leads a new session and process group
 * (pid == pgid) with no controlling terminal; a signal to the group reaches every descendant that
 * did not leave it. A {@link Watchdog} ends the groups if the JVM dies.
 */
final class PosixProcessControl implements ProcessControl {
  private static final File DEV_NULL = new File("/dev/null");

  private final List<String> newSession = newSessionCommand();
  private final String runId = ProcessHandle.current().pid() + "-" + System.currentTimeMillis();

  /** Null where other processes' environments cannot be read (not Linux). */
  private final MarkedProcesses markedProcesses =
      MarkedProcesses.available() ? new MarkedProcesses(MARKER, runId) : null;

  private final GroupSignaller signaller =
      new GroupSignaller(newSession, firstExisting("/bin/kill", "/usr/bin/kill", "kill"));

  /** Started with the first child, beside it; it lists every child once both run. */
  private CompletableFuture<Watchdog> watchdog;

  @Override
  public Child start(List<String> argv, Path cwd, Map<String, String> env, boolean withInput)
      throws StartException {
    String problem = Runnables.whyNot(argv.get(0), cwd, env.get("PATH"));
    if (problem != null) throw new StartException(problem);
    List<String> command = new ArrayList<>(newSession);
    command.addAll(argv);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.redirectInput(
        withInput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(DEV_NULL));
    pb.environment().clear();
    pb.environment().putAll(env);
    CompletableFuture<Watchdog> dog = watchdog();
    // Children start side by side, and beside the watchdog's own start.
    Process process = null;
    Pipe pipe = null;
    try {
      pipe = PollablePipes.open();
      if (pipe != null) {
        // stderr to the same pipe as a file of its own, not redirectErrorStream: with stdout
        // redirected, that still gives pmj a stderr pipe per child, open until the child ends;
        // each child is started with every such descriptor and closes them one by one (and the
        // kernel drops their /proc entries when it is reaped): 1,000 children cost 2,000 of them.
        File out = PollablePipes.writeEnd(pipe);
        pb.redirectErrorStream(false).redirectOutput(out).redirectError(out);
      }
      process = pb.start();
    } catch (IOException e) {
      throw new StartException(Runnables.reason(e));
    } finally {
      // The child has its own copy: the pipe ends when the child and its descendants close it.
      // Without a child, nobody reads it either.
      if (pipe != null) {
        close(pipe.sink());
        if (process == null) close(pipe.source());
      }
    }
    CompletableFuture<Integer> exit = watch(dog, process);
    Terminal input = withInput ? LineTerminal.of(process, this) : null;
    if (pipe == null) {
      return new Child(process.pid(), process.getInputStream(), null, exit, input);
    }
    return new Child(
        process.pid(), Channels.newInputStream(pipe.source()), pipe.source(), exit, input);
  }

  @Override
  public Child startInTerminal(
      List<String> argv, Path cwd, Map<String, String> env, int cols, int rows)
      throws StartException, NoTerminalException {
    String problem = Runnables.whyNot(argv.get(0), cwd, env.get("PATH"));
    if (problem != null) throw new StartException(problem);
    Ptys.Pair pty = Ptys.open(cols, rows);
    ProcessBuilder pb = new ProcessBuilder(Ptys.sessionCommand(argv)).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().putIfAbsent("TERM", "xterm-256color");
    java.io.FileDescriptor masterFd = Ptys.descriptor(pty.master());
    pb.redirectInput(org.jline.nativ.JLineLibrary.newRedirectPipe(Ptys.descriptor(pty.slave())));
    // The child's shell puts stdout and stderr on the terminal before the program runs.
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    CompletableFuture<Watchdog> dog = watchdog();
    Process process;
    Pipe.SourceChannel source;
    Pipe.SinkChannel sink;
    try {
      source = Ptys.Channels.source(masterFd);
      sink = Ptys.Channels.sink(masterFd);
    } catch (IOException e) {
      Ptys.close(pty.slave());
      Ptys.close(pty.master());
      throw new NoTerminalException(e.getMessage());
    }
    try {
      process = pb.start();
      // Input never waits for the child: a full terminal leaves it queued (Terminal).
      sink.configureBlocking(false);
    } catch (IOException e) {
      close(source);
      throw new StartException(Runnables.reason(e));
    } finally {
      // The child has its own copy: the terminal's output ends (EIO) when its last holder exits.
      Ptys.close(pty.slave());
    }
    CompletableFuture<Integer> exit = watch(dog, process);
    Terminal terminal = new PtyTerminal(pty.master(), sink, source);
    return new Child(process.pid(), Channels.newInputStream(source), source, exit, terminal);
  }

  private synchronized CompletableFuture<Watchdog> watchdog() {
    if (watchdog == null) watchdog = startWatchdog();
    return watchdog;
  }

  private CompletableFuture<Integer> watch(CompletableFuture<Watchdog> dog, Process process) {
    synchronized (this) {
      dog.join().watch(process.pid());
    }
    return process.onExit().thenApply(Process::exitValue);
  }

  /** On a thread of its own that ends with it (the common pool's would stay a minute). */
  private CompletableFuture<Watchdog> startWatchdog() {
    return OwnThread.supply(
        "pmj-watchdog-start", () -> Watchdog.start(newSession, MARKER + "=" + runId));
  }

  private static void close(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public boolean findsMarked() {
    return markedProcesses != null;
  }

  @Override
  public CompletableFuture<Map<String, List<Marked>>> marked() {
    if (markedProcesses == null) return CompletableFuture.completedFuture(Map.of());
    return markedProcesses.scan();
  }

  @Override
  public void signal(Marked process, Signal signal) {
    // The pid may have been reused since the scan: only the process that started then is signalled.
    if (MarkedProcesses.startTicks(process.pid()) != process.startTicks()) return;
    signaller.signalProcess(process.pid(), signal);
  }

  @Override
  public void signalGroup(long pid, Signal signal) {
    signaller.signal(pid, signal);
  }

  @Override
  public synchronized void forget(long pid) {
    if (watchdog != null) watchdog.join().forget(pid);
  }

  @Override
  public synchronized void close() {
    signaller.close();
    if (watchdog != null) watchdog.join().close();
    watchdog = null;
    if (markedProcesses != null) markedProcesses.close();
  }

  static List<String> newSessionCommand() {
    String setsid = firstExisting("/usr/bin/setsid", "/bin/setsid", null);
    if (setsid != null) return List.of(setsid);
    // No util-linux (macOS): perl's POSIX::setsid does the same before exec.
    return List.of(
        "perl",
        "-MPOSIX",
        "-e",
        "POSIX::setsid(); exec { $ARGV[0] } @ARGV or die \"$ARGV[0]: $!\\n\"");
  }

  private static String firstExisting(String a, String b, String fallback) {
    if (Files.isExecutable(Path.of(a))) return a;
    if (Files.isExecutable(Path.of(b))) return b;
    return fallback;
  }
}
