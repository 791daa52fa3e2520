package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where there are no process groups (Windows): a stop reaches each descendant through {@link
 * ProcessHandle#descendants()}. Windows has no signals; every stop signal is a termination request
 * and KILL is a forced one.
 */
final class TreeProcessControl implements ProcessControl {
  private final String runId = ProcessHandle.current().pid() + "-" + System.currentTimeMillis();

  @Override
  public String runId() {
    return runId;
  }

  /** No other process's environment can be read here: only the live tree is reached. */
  @Override
  public java.util.concurrent.CompletableFuture<Map<String, List<Marked>>> marked() {
    return java.util.concurrent.CompletableFuture.completedFuture(Map.of());
  }

  @Override
  public boolean findsMarked() {
    return false;
  }

  @Override
  public void signal(Marked process, Signal signal) {
    ProcessHandle.of(process.pid()).ifPresent(h -> end(h, signal));
  }

  @Override
  public Child start(List<String> argv, Path cwd, Map<String, String> env, boolean withInput)
      throws StartException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
    pb.redirectInput(
        withInput
            ? ProcessBuilder.Redirect.PIPE
            : ProcessBuilder.Redirect.from(new File(Platform.isWindows() ? "NUL" : "/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      long pid = p.pid();
      Terminal input = withInput ? LineTerminal.of(p, this) : null;
      return new Child(
          pid, p.getInputStream(), null, p.onExit().thenApply(Process::exitValue), input);
    } catch (IOException e) {
      throw new StartException(Runnables.reason(e));
    }
  }

  @Override
  public void signalGroup(long pid, Signal signal) {
    ProcessHandle.of(pid)
        .ifPresent(
            root -> {
              // The tree is listed first (it is lost once the root ends), then the root is
              // signalled
              // before its descendants, so it is the signal and not a child's death that ends it.
              List<ProcessHandle> tree = root.descendants().toList();
              end(root, signal);
              tree.forEach(h -> end(h, signal));
            });
  }

  private static void end(ProcessHandle h, Signal signal) {
    if (signal == Signal.KILL) h.destroyForcibly();
    else h.destroy();
  }

  @Override
  public void forget(long pid) {}

  @Override
  public void close() {}
}
