package dev.pmj.cli;

import dev.pmj.api.HttpControl;
import dev.pmj.api.Instance;
import dev.pmj.config.Project;
import dev.pmj.os.Detached;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pmj up -d} (README, "In the background"): starts pmj again in the background (its own
 * session, no terminal, stdin /dev/null, its lines to .pmj/pmj.log), waits until every process it
 * starts is up, or crash-looping, or failed ({@link StartWait}), prints their table and the
 * dashboard address, and returns: 1, naming each process that is not up, when one is not.
 */
final class Background {
  private static final long POLL_MS = 50;

  private final Context context;

  Background(Context context) {
    this.context = context;
  }

  int launch(Project project, List<String> selected) throws IOException, InterruptedException {
    String file = context.loader().display(project.file());
    Path dir = Instance.dirOf(project.file());
    Path log;
    try {
      Instance.check(dir);
      if (Instance.isHeld(dir)) {
        context.err.println(UpCommand.alreadyRunning(file, Instance.readState(dir)));
        return ExitCodes.FAILURE;
      }
      Instance.prepare(project.file());
      log = Instance.append(dir, "pmj.log", "---- " + Instant.now() + " pmj up -d\n");
    } catch (Instance.Untrusted e) {
      context.err.println(Remote.refusing(context, e));
      return ExitCodes.FAILURE;
    }
    List<String> argv = new ArrayList<>(command());
    for (String a : context.args)
      argv.add(a.equals("-d") || a.equals("--detach") ? "--detached" : a);
    Process child = Detached.start(argv, context.workingDir, context.env, log);
    Instance.State state = awaitState(dir, child);
    if (state == null) return died(child, log);
    HttpControl control = new HttpControl(state, "pmj up -d");
    List<ProcessInfo> processes;
    StartWait.Verdict verdict;
    try {
      while (control.project().starting()) {
        if (!child.isAlive()) return died(child, log);
        Thread.sleep(POLL_MS);
      }
      StartWait wait = new StartWait(selected, Instant.now());
      while (true) {
        processes = control.processes();
        verdict = wait.look(processes, Instant.now());
        if (verdict.done()) break;
        if (!child.isAlive()) return died(child, log);
        Thread.sleep(POLL_MS);
      }
    } catch (ControlException e) {
      return died(child, log);
    }
    for (String line : PsCommand.table(processes, Instant.now())) context.out.println(line);
    context.out.println("dashboard: " + state.dashboard());
    context.out.println(
        "pmj runs in the background (pid "
            + state.pid()
            + "): its lines are in "
            + context.loader().display(log)
            + ", the processes' output in "
            + context.loader().display(dir.resolve("logs"))
            + " unless logDir or logFile say otherwise; pmj down stops it");
    context.out.flush();
    for (String line : verdict.problems()) context.err.println(line);
    return verdict.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** The java command that runs this pmj: this JVM's own, else java from java.home. */
  private List<String> command() {
    Optional<List<String>> same = Detached.thisJvm(context.args);
    if (same.isPresent()) return same.get();
    // What the jar's manifest gives java -jar (Add-Exports, Add-Opens), given by hand to -cp: else
    // children's output is read by a thread each and interactive processes get no terminal.
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-exports",
        "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens",
        "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }

  /** Waits until the background pmj says where its API is; null when it ended first. */
  private static Instance.State awaitState(Path dir, Process child)
      throws InterruptedException, IOException {
    while (child.isAlive()) {
      // Only the child's own state file, while it holds the lock, is its address.
      if (Instance.find(dir) instanceof Instance.Running r && r.state().pid() == child.pid())
        return r.state();
      Thread.sleep(POLL_MS);
    }
    return null;
  }

  private int died(Process child, Path log) throws IOException {
    String code = child.isAlive() ? "still running, unreachable" : "exit code " + child.exitValue();
    context.err.println(
        "pmj: the background pmj ended before its processes started ("
            + code
            + "); "
            + context.loader().display(log)
            + " says:");
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size()))
      context.err.println("  " + l);
    return ExitCodes.FAILURE;
  }
}
