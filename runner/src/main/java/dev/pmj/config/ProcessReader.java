package dev.pmj.config;

import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Fields.Located;
import dev.pmj.config.Variables.Var;
import dev.pmj.config.Variables.Where;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one process of the file (one {@link ProcessSpec} per instance) from its mapping and what
 * the project gives every process.
 */
final class ProcessReader {
  /** The longest process id: ids prefix every line, padded to the longest. */
  static final int MAX_ID = 64;

  /**
   * What every process starts from: the project's devMode, variables, env files and log settings.
   *
   * @param env the global {@code env}
   * @param fileVars the variables of the global env files
   * @param logDir the folder every process's output is also written to, or null
   */
  record Defaults(
      boolean devMode,
      List<Var> env,
      List<Var> fileVars,
      List<Path> envFiles,
      Path logDir,
      long logMaxSize,
      int logMaxFiles) {}

  /** A process of the file, before it is read: its name, mapping and dependencies by name. */
  record Draft(String name, Mark keyMark, MapNode node, Dependencies.Declared dependsOn) {
    String path() {
      return "processes." + name;
    }
  }

  private final String file;
  private final Path dir;
  private final Problems problems;
  private final EnvSources sources;
  private final CommandLines commandLines;
  private final ReadinessReader readiness;
  private final Dependencies dependencies;
  private final boolean windows;
  private final Defaults defaults;

  ProcessReader(
      String file,
      Path dir,
      Problems problems,
      EnvSources sources,
      boolean windows,
      Defaults defaults) {
    this.file = file;
    this.dir = dir;
    this.problems = problems;
    this.sources = sources;
    this.windows = windows;
    this.defaults = defaults;
    this.commandLines = new CommandLines(file, problems, windows);
    this.readiness = new ReadinessReader(file, problems, commandLines);
    this.dependencies = new Dependencies(file, problems);
  }

  Draft draft(String name, Mark keyMark, MapNode node) {
    return new Draft(name, keyMark, node, dependencies.read(node, "processes." + name));
  }

  /** The process's instances; none when it has a problem (reported). */
  List<ProcessSpec> read(Draft d) {
    return read(d, null);
  }

  /**
   * The same with {@code scaledTo} instances instead of the file's count, when not null ({@code pmj
   * scale}): instance 1 keeps the id the file gives it ({@code web}, or {@code web.1}), so that
   * scaling never renames a running process; the others are {@code web.2}…
   */
  List<ProcessSpec> read(Draft d, Integer scaledTo) {
    Fields f = new Fields(d.node(), d.path(), Schema.load().process(), file, problems);
    boolean hasCommand = f.has("command");
    boolean hasScript = f.has("script");
    if (!hasCommand && !hasScript) {
      problems.add(file, d.keyMark(), d.path(), "needs command or script (neither is set)");
    } else if (hasCommand && hasScript) {
      problems.add(
          file,
          d.node().entries().get("script").keyMark(),
          d.path(),
          "has both command and script; keep one (command runs a program, script runs a file with its interpreter)");
    }
    List<Path> envFiles = new ArrayList<>();
    List<Var> fileVars = sources.envFiles(d.node(), d.path(), false, envFiles);
    List<Var> env = sources.env(d.node().get("env"), d.path() + ".env");
    int declared = (int) f.integer("instances");
    int instances = scaledTo == null ? declared : scaledTo;
    String last = d.name() + "." + instances;
    if (instances > 1 && last.length() > MAX_ID) {
      problems.add(
          file,
          d.node().entries().get("instances").keyMark(),
          d.path() + ".instances",
          "the last instance's id, "
              + last
              + ", would be "
              + last.length()
              + " characters; ids are at most "
              + MAX_ID
              + " (shorten the process's id)");
      return List.of();
    }
    List<Path> allEnvFiles = new ArrayList<>(defaults.envFiles());
    allEnvFiles.addAll(envFiles);
    List<ProcessSpec> out = new ArrayList<>();
    int problemsBefore = problems.size();
    for (int instance = 1; instance <= instances; instance++) {
      String id = declared > 1 || instance > 1 ? d.name() + "." + instance : d.name();
      Variables vars = variables(id, instance, env, fileVars);
      ProcessSpec spec = instance(d, f, vars, id, instance, instances, allEnvFiles, problemsBefore);
      if (spec != null) out.add(spec);
    }
    return out;
  }

  /** The layers a process's templates are looked up in, nearest first. */
  private Variables variables(String id, int instance, List<Var> env, List<Var> fileVars) {
    Variables vars = new Variables(problems);
    vars.addLayer(
        "built-in",
        List.of(
            sources.builtin("PMJ_PROJECT_DIR", dir.toString()),
            sources.builtin("PMJ_PROCESS_ID", id),
            sources.builtin("PMJ_INSTANCE", Integer.toString(instance))));
    vars.addLayer("process env", env);
    vars.addLayer("global env", defaults.env());
    Map<String, Var> files = new LinkedHashMap<>();
    for (Var v : defaults.fileVars()) files.put(v.name(), v);
    for (Var v : fileVars) files.put(v.name(), v);
    vars.addLayer("env files", new ArrayList<>(files.values()));
    vars.addLayer("environment", sources.environment());
    return vars;
  }

  /** One instance; null when it has a problem (reported) since {@code problemsBefore}. */
  private ProcessSpec instance(
      Draft d,
      Fields f,
      Variables vars,
      String id,
      int instance,
      int instances,
      List<Path> envFiles,
      int problemsBefore) {
    Map<String, String> env = new LinkedHashMap<>(vars.resolveLayer(3));
    java.util.Set<String> fromFiles = new java.util.HashSet<>(env.keySet());
    for (int layer = 2; layer >= 0; layer--) {
      Map<String, String> nearer = vars.resolveLayer(layer);
      env.putAll(nearer);
      fromFiles.removeAll(nearer.keySet());
    }
    Path cwd = cwd(d, f, vars);
    List<String> args = args(d, vars);
    boolean shell = f.bool("shell");
    Program program = program(d, f, vars, cwd, shell, args);
    Readiness probe = readiness.read(d.node().get("readiness"), d.path() + ".readiness", vars);
    ProcessSpec.Watch watch = watch(d, f, vars, cwd);
    ProcessSpec.Logs logs = logs(d, f, vars, id);
    long maxMemory = f.has("maxMemory") ? f.size("maxMemory", null) : 0;
    String colorWord = f.string("color");
    List<String> stopCommand =
        f.has("stopCommand")
            ? commandLines.argv(d.node().get("stopCommand"), d.path() + ".stopCommand", vars)
            : List.of();
    if (stopCommand == null) stopCommand = List.of(); // the problem is reported
    if (problems.size() != problemsBefore || program.argv().isEmpty()) return null;
    return new ProcessSpec(
        id,
        instance,
        program.argv(),
        shell,
        program.script(),
        program.interpreter(),
        args,
        cwd,
        env,
        envFiles,
        f.bool("autostart"),
        new ProcessSpec.Restart(
            RestartPolicy.of(f.string("restart")),
            (int) f.integer("maxRetries"),
            f.duration("backoff"),
            f.duration("backoffMax"),
            f.duration("healthyAfter")),
        new ProcessSpec.Stop(f.string("stopSignal"), f.duration("stopTimeout")),
        d.dependsOn().conditions(),
        probe,
        watch,
        colorWord == null ? null : Color.of(colorWord),
        instances,
        logs,
        maxMemory,
        stopCommand,
        f.bool("daemon"),
        f.bool("interactive"),
        f.stringList("profiles").stream().map(Fields.Located::text).toList(),
        fromFiles);
  }

  private Path cwd(Draft d, Fields f, Variables vars) {
    String text = f.templated("cwd", vars);
    if (text == null) return dir;
    Path cwd = f.path(dir, text, f.mark("cwd"), d.path() + ".cwd");
    if (cwd == null) return dir;
    if (!Files.isDirectory(cwd)) {
      problems.add(
          file,
          f.mark("cwd"),
          d.path() + ".cwd",
          (Files.exists(cwd) ? "not a folder: " : ConfigProblem.NO_FOLDER) + cwd);
    }
    return cwd;
  }

  private List<String> args(Draft d, Variables vars) {
    List<String> args = new ArrayList<>();
    if (d.node().get("args") instanceof ListNode list) {
      int i = 0;
      for (ConfigNode item : list.items()) {
        String p = d.path() + ".args[" + i++ + "]";
        if (item instanceof Scalar s && s.value() != null && !(s.value() instanceof Map)) {
          String v = vars.resolve(s.asText(), new Where(file, s.mark(), p));
          if (v != null) args.add(v);
        }
      }
    }
    return args;
  }

  /** What runs: the argv (empty after a problem), and the script and interpreter if any. */
  private record Program(List<String> argv, Path script, String interpreter) {}

  private Program program(
      Draft d, Fields f, Variables vars, Path cwd, boolean shell, List<String> args) {
    boolean hasCommand = f.has("command");
    boolean hasScript = f.has("script");
    if (hasCommand && !hasScript) {
      return new Program(
          commandLines.command(d.node().get("command"), d.path() + ".command", vars, shell, args),
          null,
          "");
    }
    if (!hasScript || hasCommand) return new Program(List.of(), null, "");
    Path script = null;
    String scriptText = f.templated("script", vars);
    if (scriptText != null && !scriptText.isBlank()) {
      script = f.path(cwd, scriptText, f.mark("script"), d.path() + ".script");
    } else if (scriptText != null) {
      problems.add(file, f.mark("script"), d.path() + ".script", "script is empty");
    }
    if (script == null) return new Program(List.of(), null, "");
    try {
      Interpreters.Choice choice =
          new Interpreters(windows).choose(f.string("interpreter"), script, cwd, dir);
      List<String> argv = new ArrayList<>(choice.argv());
      argv.add(script.toString());
      argv.addAll(args);
      return new Program(argv, script, choice.name());
    } catch (Interpreters.NotFound e) {
      String key = f.has("interpreter") ? "interpreter" : "script";
      problems.add(file, f.mark(key), d.path() + "." + key, e.getMessage());
      return new Program(List.of(), script, "");
    }
  }

  /** devMode (the process's own, else the project's) and what it watches. */
  private ProcessSpec.Watch watch(Draft d, Fields f, Variables vars, Path cwd) {
    Object own = d.node().get("devMode") instanceof Scalar s ? s.value() : null;
    List<Path> paths = new ArrayList<>();
    for (Located item : f.stringList("watchPaths")) {
      String v = vars.resolve(item.text(), new Where(file, item.mark(), item.path()));
      if (v != null) {
        Path p = f.path(cwd, v, item.mark(), item.path());
        if (p != null) paths.add(p);
      }
    }
    if (paths.isEmpty()) paths.add(cwd);
    List<String> ignore = new ArrayList<>();
    for (Located item : f.stringList("watchIgnore")) ignore.add(item.text());
    return new ProcessSpec.Watch(
        own instanceof Boolean b ? b : defaults.devMode(),
        own instanceof Boolean,
        paths,
        ignore,
        f.duration("debounce"),
        f.bool("restartDependents"));
  }

  /** The process's log settings: its own keys, else the project's. */
  private ProcessSpec.Logs logs(Draft d, Fields f, Variables vars, String id) {
    Path logFile = null;
    String text = f.templated("logFile", vars);
    if (text != null) {
      logFile = f.path(dir, text, f.mark("logFile"), d.path() + ".logFile");
    } else if (defaults.logDir() != null) {
      logFile = defaults.logDir().resolve(id + ".log");
    }
    return new ProcessSpec.Logs(
        logFile,
        (int) f.integer("logBuffer"),
        f.has("logMaxSize") ? f.size("logMaxSize", null) : defaults.logMaxSize(),
        f.has("logMaxFiles") ? (int) f.integer("logMaxFiles", null) : defaults.logMaxFiles());
  }
}
