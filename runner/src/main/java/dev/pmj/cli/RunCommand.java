package dev.pmj.cli;

import dev.pmj.api.HttpControl;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Add a process to the running pmj, supervised like the file's ones but not written to the file (pmj rm removes it): pmj run ID [options] -- COMMAND ARGS...")
final class RunCommand implements Callable<Integer> {
  /** A problem of the request body: its key path and what is wrong. */
  private static final Pattern PROBLEM =
      Pattern.compile("^request body:[0-9]+:[0-9]+: (.+?): (.*)$");

  private final Context context;

  @Parameters(index = "0", paramLabel = "ID", description = "The new process's id.")
  String id;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      description = "The program and its arguments (after --).")
  List<String> command = new ArrayList<>();

  @Option(names = "--cwd", paramLabel = "DIR", description = "Working folder (default: this one).")
  Path cwd;

  @Option(
      names = "--restart",
      paramLabel = "POLICY",
      description = "always (default), on-failure or never.")
  String restart;

  @Option(
      names = "--env",
      paramLabel = "KEY=VALUE",
      description = "A variable for the process (again for more).")
  List<String> env = new ArrayList<>();

  @Option(names = "--shell", description = "Run COMMAND through /bin/sh -c (one string).")
  boolean shell;

  RunCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (command.isEmpty()) {
      context.err.println(
          "pmj: COMMAND: missing; write it after --, as in: pmj run "
              + id
              + " -- python3 worker.py");
      return ExitCodes.USAGE;
    }
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("id", id);
    process.put("command", shell ? String.join(" ", command) : command);
    if (shell) process.put("shell", true);
    // A relative folder means one below where the command is typed, as for any program.
    process.put(
        "cwd", context.workingDir.resolve(cwd == null ? Path.of(".") : cwd).normalize().toString());
    if (restart != null) process.put("restart", restart);
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        context.err.println("pmj: --env: write KEY=VALUE (got \"" + kv + "\")");
        return ExitCodes.USAGE;
      }
      vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (!vars.isEmpty()) process.put("env", vars);
    Remote remote = Remote.connect(context, "pmj run");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      ProcessInfo p = remote.control.add(HttpControl.toJson(process), "pmj run");
      context.out.println(
          p.id() + ": added (pmj logs " + p.id() + " shows it, pmj rm " + p.id() + " removes it)");
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.INVALID) {
        for (String line : e.details().isEmpty() ? List.of(e.getMessage()) : e.details()) {
          context.err.println("pmj: " + argument(line, id));
        }
        return ExitCodes.USAGE;
      }
      if (e.kind() == ControlException.Kind.CONFLICT) {
        context.err.println("pmj: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
  }

  /** A problem of the process definition, pointed at the argument that caused it. */
  static String argument(String problem, String id) {
    Matcher m = PROBLEM.matcher(problem);
    if (!m.matches()) return problem;
    String path = m.group(1);
    String message = m.group(2);
    String own = "processes." + id;
    if (path.equals("id") || path.equals(own)) return "ID: " + message;
    if (!path.startsWith(own + ".")) return path + ": " + message;
    String rest = path.substring(own.length() + 1);
    int dot = rest.indexOf('.');
    String key = dot < 0 ? rest : rest.substring(0, dot);
    switch (key) {
      case "command":
      case "args":
        return "COMMAND: " + message;
      case "env":
        return "--env" + (dot < 0 ? "" : " " + rest.substring(dot + 1) + "=…") + ": " + message;
      default:
        return "--" + key + ": " + message;
    }
  }
}
