package dev.pmj.cli;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.ConfigProblem;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.os.Platform;
import dev.pmj.os.Runnables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A one-off command in this terminal with the environment and folder a process of the file would
 * get, as foreman run, overmind run and dotenv run do. The file is loaded as pmj config loads it;
 * no running pmj is needed. The command shares pmj's terminal (stdin, stdout, stderr and the
 * foreground process group): Ctrl-C reaches it from the terminal while pmj waits for its exit code.
 */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description =
        "Run a command in this terminal with the environment and working folder process ID would get (without ID: the file's global env and env files, in the project folder); no running pmj needed: pmj exec [ID] -- COMMAND ARGS...")
final class ExecCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      index = "0..*",
      paramLabel = "[ID] -- COMMAND",
      description =
          "The process whose environment and folder the command gets (web.2: its second instance; web: its first), then -- and the program with its arguments.")
  List<String> words = new ArrayList<>();

  ExecCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    // picocli gives every positional word in one list; the words before -- are the ID, those after
    // the command. ArgumentScan reads the line as picocli does and stops at --.
    int before = Math.min(ArgumentScan.of(context.args).words().size(), words.size());
    String id = before == 0 ? null : words.get(0);
    List<String> command = words.subList(before, words.size());
    String example = "pmj exec " + (id == null ? "" : id + " ") + "-- ";
    if (before > 1) {
      context.err.println(
          "pmj: COMMAND: write it after --, as in: "
              + example
              + String.join(" ", words.subList(1, words.size())));
      return ExitCodes.USAGE;
    }
    if (command.isEmpty()) {
      context.err.println(
          "pmj: COMMAND: missing; write it after --, as in: "
              + example
              + (id == null ? "env" : "rails console"));
      return ExitCodes.USAGE;
    }
    LoadResult result = context.load();
    if (result == null || !result.ok()) return ExitCodes.USAGE;
    Project project = result.project();
    Map<String, String> env = new HashMap<>(context.env);
    Path cwd;
    if (id != null) {
      ProcessSpec spec = process(project, id);
      if (spec == null) return ExitCodes.USAGE;
      env.putAll(spec.env());
      cwd = spec.cwd();
    } else {
      Map<String, String> global = globalEnv(project);
      if (global == null) return ExitCodes.USAGE;
      env.putAll(global);
      cwd = project.dir();
    }
    List<String> argv = new ArrayList<>(command);
    String problem = Platform.isWindows() ? null : program(argv, cwd, env.get("PATH"));
    if (problem != null) {
      context.err.println("pmj: exec: " + problem);
      return ExitCodes.USAGE;
    }
    return run(argv, cwd, env);
  }

  /**
   * The process {@code id} names (a process of several instances by its name: its first); null
   * after saying it has none.
   */
  private ProcessSpec process(Project project, String id) {
    ProcessSpec spec = project.process(id);
    if (spec == null) {
      ProcessSpec first = project.process(id + ".1");
      if (first != null && first.instances() > 1) spec = first;
    }
    if (spec != null) return spec;
    Set<String> known = new LinkedHashSet<>();
    for (ProcessSpec p : project.processes()) known.add(p.id());
    Set<String> candidates = new LinkedHashSet<>(known);
    for (ProcessSpec p : project.processes()) {
      if (p.instances() > 1) candidates.add(p.id().substring(0, p.id().lastIndexOf('.')));
    }
    Remote.sayNoProcess(context, id, candidates, known);
    return null;
  }

  /**
   * The file's global env and env files, resolved as for a process of the file: the loader builds a
   * process that sets nothing of its own and its variables are those, but for the ones that name a
   * process. Null after printing the problems.
   */
  private Map<String, String> globalEnv(Project project) {
    ConfigLoader.AdHocResult adHoc =
        context
            .loader()
            .loadProcess(
                project, "{\"id\": \"exec\", \"command\": [\"true\"]}", "pmj exec", Set.of());
    if (!adHoc.ok()) {
      for (ConfigProblem p : adHoc.problems()) context.err.println(p.format());
      return null;
    }
    Map<String, String> env = new HashMap<>(adHoc.spec().env());
    env.remove("PMJ_PROCESS_ID");
    env.remove("PMJ_INSTANCE");
    return env;
  }

  /**
   * Why the program of {@code argv} cannot run, or null when it can. The program is looked up in
   * the PATH the command gets (an env file may set it); when that finds another program than this
   * JVM's PATH would, its path replaces the name.
   */
  static String program(List<String> argv, Path cwd, String path) {
    String program = argv.get(0);
    String why = Runnables.whyNot(program, cwd, path);
    if (why == null && !program.contains("/") && !path.equals(System.getenv("PATH"))) {
      argv.set(0, Runnables.find(program, cwd, path).toString());
    }
    return why;
  }

  /** Runs the command in this terminal; its exit code (128+N when signal N ended it). */
  private int run(List<String> argv, Path cwd, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).inheritIO();
    pb.environment().clear();
    pb.environment().putAll(env);
    context.out.flush();
    context.err.flush();
    AtomicReference<Process> child = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean terminated =
        new java.util.concurrent.atomic.AtomicBoolean();
    // Ctrl-C goes to the terminal's foreground group, the command and pmj alike (a hang-up too):
    // pmj waits on for the command's exit instead of ending first. TERM sent to pmj alone is passed
    // on. Handlers in the JVM, not SIG_IGN: a caught signal is reset to its default in the command
    // when it is exec'd, an ignored one would stay ignored there.
    Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new HashMap<>();
    handle(previous, "INT", s -> {});
    handle(previous, "HUP", s -> {});
    handle(
        previous,
        "TERM",
        s -> {
          terminated.set(true);
          Process p = child.get();
          if (p != null) p.destroy();
        });
    try {
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        context.err.println("pmj: exec: " + argv.get(0) + ": " + Runnables.reason(e));
        return ExitCodes.USAGE;
      }
      child.set(p);
      if (terminated.get()) p.destroy(); // TERM came while it started
      while (true) {
        try {
          return p.waitFor();
        } catch (InterruptedException e) {
          // only the exit code ends the wait
        }
      }
    } finally {
      previous.forEach(sun.misc.Signal::handle);
    }
  }

  private static void handle(
      Map<sun.misc.Signal, sun.misc.SignalHandler> previous,
      String name,
      sun.misc.SignalHandler handler) {
    try {
      sun.misc.Signal signal = new sun.misc.Signal(name);
      previous.put(signal, sun.misc.Signal.handle(signal, handler));
    } catch (IllegalArgumentException e) {
      // Not available here (HUP on Windows, or the JVM keeps it): nothing to install.
    }
  }
}
