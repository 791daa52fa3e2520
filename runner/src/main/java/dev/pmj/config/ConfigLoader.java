package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Variables.Var;
import dev.pmj.config.Variables.Where;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads an ecosystem file into a {@link Project}: read (YAML or JSON), validate against the schema,
 * resolve templates, env files and interpreters, expand instances, check dependencies. Every
 * problem is collected; nothing stops at the first one.
 */
public final class ConfigLoader {
  private final Map<String, String> environment;
  private final Path workingDir;
  private final boolean windows;
  private final Translator translator;

  /**
   * @param environment the environment pmj runs in (the last layer of variable lookups)
   * @param workingDir the folder file names in messages are shown relative to
   * @param windows whether processes run on Windows (interpreter names, the shell)
   */
  public ConfigLoader(Map<String, String> environment, Path workingDir, boolean windows) {
    this(environment, workingDir, windows, null);
  }

  /**
   * @param translator reads other runners' files as pmj's (null: pmj's files only)
   */
  public ConfigLoader(
      Map<String, String> environment, Path workingDir, boolean windows, Translator translator) {
    this.translator = translator;
    this.environment = Map.copyOf(environment);
    this.workingDir = workingDir.toAbsolutePath().normalize();
    this.windows = windows;
  }

  public LoadResult load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return new Load(abs, display(abs)).run(null);
  }

  /**
   * Loads {@code text} as the pmj file {@code file} would be (its folder, its name in messages),
   * without reading the file: for a pmj.yaml about to be written.
   */
  public LoadResult load(Path file, String text) {
    Path abs = file.toAbsolutePath().normalize();
    return new Load(abs, display(abs)).run(text);
  }

  /**
   * Builds a process added at run time (an ad-hoc process) from a JSON object, with the same checks
   * as a process of the file, plus its {@code id}: {@code source} names the text in messages
   * ("request body"). Its variables, env files and defaults are the project's; its dependencies
   * must be processes in {@code knownIds}.
   */
  public AdHocResult loadProcess(
      Project project, String json, String source, java.util.Set<String> knownIds) {
    Load load = new Load(project.file(), source);
    ProcessSpec spec = load.adHoc(project, json, knownIds);
    return new AdHocResult(spec, load.problems.sorted());
  }

  /** A process built from a request, or every problem with it. */
  public record AdHocResult(ProcessSpec spec, List<ConfigProblem> problems) {
    public AdHocResult {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return spec != null && problems.isEmpty();
    }
  }

  /** A path as the user should see it: relative to the working folder when inside it. */
  public String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    return abs.startsWith(workingDir) && !abs.equals(workingDir)
        ? workingDir.relativize(abs).toString()
        : abs.toString();
  }

  /** The longest process id: ids prefix every line, padded to the longest. */
  static final int MAX_ID = 64;

  /** The top-level log settings: folder (or null), rotation size and files kept. */
  private record LogDefaults(Path dir, long maxSize, int maxFiles) {}

  /** One load: the state of reading one file. */
  private final class Load {
    private final Path file;
    private final Path dir;
    private String name;
    private final Problems problems = new Problems();
    private final Map<Path, List<Var>> envFiles = new HashMap<>();

    Load(Path file, String name) {
      this.file = file;
      this.dir = file.getParent();
      this.name = name;
    }

    LoadResult run(String given) {
      String text = given;
      if (text == null) {
        if (!Files.exists(file)) {
          problems.add(name, null, "", "no such file");
          return failure();
        }
        text = Sources.read(file, name, problems);
        if (text == null) return failure();
      }
      boolean json =
          given == null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
      List<String> warnings = List.of();
      Translator.Translation translation =
          given == null
                  && translator != null
                  && !Sources.NAMES.contains(file.getFileName().toString())
              ? translator.translate(file, text)
              : null;
      if (translation != null) {
        if (!translation.problems().isEmpty()) {
          return new LoadResult(null, translation.problems());
        }
        text = translation.yaml();
        json = false;
        warnings = translation.warnings();
        name = name + " (read as " + translation.kind() + ")";
      }
      ConfigNode root =
          json
              ? new JsonReader(name, problems).read(text)
              : new YamlReader(name, problems).read(text);
      if (root == null) {
        if (problems.isEmpty()) {
          problems.add(
              name,
              null,
              "",
              "file is empty; it needs at least a processes mapping (pmj init writes a starter file)");
        }
        return failure();
      }
      if (!(root instanceof MapNode top)) {
        problems.add(
            name,
            root.mark(),
            "",
            "the file must be a mapping with keys such as version and processes (got "
                + root.kind()
                + ")");
        return failure();
      }
      Schema.load().validate(top, name, problems);
      Project project = build(top);
      return problems.isEmpty() ? new LoadResult(project, List.of(), warnings) : failure();
    }

    private LoadResult failure() {
      return new LoadResult(null, problems.sorted());
    }

    private Project build(MapNode top) {
      Fields g = new Fields(top, "", null);
      int version = (int) g.integer("version", Schema.load().topLevelDefault("version"));
      String projectName = g.string("name", Schema.load().topLevelDefault("name"));
      if (projectName == null || projectName.isEmpty())
        projectName = dir.getFileName() == null ? "pmj" : dir.getFileName().toString();
      boolean devMode = g.bool("devMode", Schema.load().topLevelDefault("devMode"));

      List<Path> globalEnvFiles = new ArrayList<>();
      List<Var> globalFileVars = readEnvFiles(top, "envFile", true, globalEnvFiles);
      List<Var> globalEnv = envVars(top.get("env"), "env");
      Map<String, String> globalEnvText = new LinkedHashMap<>();
      for (Var v : globalEnv) globalEnvText.put(v.name(), v.value());
      logs =
          new LogDefaults(
              logDir(g, globalEnv, globalFileVars),
              g.size("logMaxSize", Schema.load().topLevelDefault("logMaxSize")),
              (int) g.integer("logMaxFiles", Schema.load().topLevelDefault("logMaxFiles")));

      List<Draft> drafts = new ArrayList<>();
      if (top.get("processes") instanceof MapNode processes) {
        for (Entry e : processes.entries().values()) {
          if (e.value() instanceof MapNode p && validId(e.key())) {
            if (reserved(e.key(), e.keyMark(), "processes." + e.key())) continue;
            drafts.add(new Draft(e.key(), e.keyMark(), p));
          }
        }
      }
      List<ProcessSpec> specs = new ArrayList<>();
      Map<String, List<String>> idsByName = new LinkedHashMap<>();
      Map<String, Draft> byId = new HashMap<>();
      for (Draft d : drafts) {
        List<String> ids = new ArrayList<>();
        for (ProcessSpec s : buildProcess(d, devMode, globalEnv, globalFileVars)) {
          Draft other = byId.putIfAbsent(s.id(), d);
          if (other != null) {
            problems.add(
                name,
                d.keyMark,
                "processes." + d.name,
                "id \""
                    + s.id()
                    + "\" is used twice: by processes."
                    + other.name
                    + (other.name.equals(s.id()) ? "" : " (instances)")
                    + " and by processes."
                    + d.name
                    + (d.name.equals(s.id()) ? "" : " (instances)"));
          }
          ids.add(s.id());
          specs.add(s);
        }
        idsByName.put(d.name, ids);
      }
      checkDependencies(drafts, idsByName);
      if (!problems.isEmpty()) return null;
      // dependsOn names expand to instance ids now that all ids are known
      List<ProcessSpec> expanded = new ArrayList<>();
      for (ProcessSpec s : specs) expanded.add(expandDependencies(s, idsByName));
      return new Project(
          file,
          dir,
          version,
          projectName,
          globalEnvFiles,
          globalEnvText,
          devMode,
          logs.dir(),
          logs.maxSize(),
          logs.maxFiles(),
          expanded);
    }

    /** The top-level log settings every process starts from. */
    private LogDefaults logs = new LogDefaults(null, 10L << 20, 5);

    /** The top-level logDir with templates resolved (global variables only), or null. */
    private Path logDir(Fields g, List<Var> globalEnv, List<Var> globalFileVars) {
      Variables vars = new Variables(problems);
      vars.addLayer("global env", globalEnv);
      vars.addLayer("env files", globalFileVars);
      vars.addLayer("environment", environmentVars());
      String text = g.templated("logDir", vars);
      return text == null || text.isBlank() ? null : path(dir, text, g.mark("logDir"), "logDir");
    }

    private List<Var> environmentVars() {
      List<Var> os = new ArrayList<>();
      environment.forEach(
          (k, v) ->
              os.add(new Var(0, k, v, true, new Where(name, null, "environment variable " + k))));
      return os;
    }

    /** A process of a request: see {@link ConfigLoader#loadProcess}. */
    ProcessSpec adHoc(Project project, String json, java.util.Set<String> knownIds) {
      ConfigNode body = new JsonReader(name, problems).read(json);
      if (body == null) {
        if (problems.isEmpty()) problems.add(name, null, "", "empty; send a JSON object");
        return null;
      }
      if (!(body instanceof MapNode withId)) {
        problems.add(name, body.mark(), "", "must be a JSON object (got " + body.kind() + ")");
        return null;
      }
      if (!(withId.get("id") instanceof Scalar idNode && idNode.value() instanceof String id)) {
        problems.add(
            name,
            withId.get("id") == null ? withId.mark() : withId.get("id").mark(),
            "id",
            withId.get("id") == null
                ? "missing: every process needs an id"
                : "must be a string (got " + withId.get("id").kind() + ")");
        return null;
      }
      Map<String, Entry> rest = new LinkedHashMap<>(withId.entries());
      rest.remove("id");
      MapNode node = new MapNode(withId.mark(), rest);
      Map<String, Entry> processes = new LinkedHashMap<>();
      processes.put(id, new Entry(id, idNode.mark(), node));
      Map<String, Entry> top = new LinkedHashMap<>();
      top.put(
          "processes", new Entry("processes", node.mark(), new MapNode(node.mark(), processes)));
      Schema.load().validate(new MapNode(node.mark(), top), name, problems);
      if (!problems.isEmpty() || !validId(id)) return null;
      if (reserved(id, idNode.mark(), "id")) return null;
      if (node.get("instances") instanceof Scalar n && !Long.valueOf(1).equals(n.value())) {
        problems.add(
            name,
            n.mark(),
            "processes." + id + ".instances",
            "a process added at run time runs one instance (got " + n.text() + ")");
        return null;
      }
      if (node.get("devMode") instanceof Scalar dm && Boolean.TRUE.equals(dm.value())) {
        problems.add(
            name,
            dm.mark(),
            "processes." + id + ".devMode",
            "not available for a process added at run time: only the file's processes are watched");
        return null;
      }
      logs = new LogDefaults(project.logDir(), project.logMaxSize(), project.logMaxFiles());
      globalEnvFilesCache = project.envFile();
      List<Var> globalEnv = new ArrayList<>();
      String fileName = display(project.file());
      project
          .env()
          .forEach(
              (k, v) ->
                  globalEnv.add(new Var(0, k, v, false, new Where(fileName, null, "env." + k))));
      List<Var> globalFileVars = new ArrayList<>();
      for (Path p : project.envFile()) globalFileVars.addAll(envFile(p));
      Draft d = new Draft(id, node.mark(), node);
      List<ProcessSpec> built = buildProcess(d, project.devMode(), globalEnv, globalFileVars);
      Map<String, List<String>> idsByName = new LinkedHashMap<>();
      for (String known : knownIds) {
        idsByName.computeIfAbsent(known, k -> new ArrayList<>()).add(known);
        int dot = known.lastIndexOf('.');
        if (dot > 0 && known.substring(dot + 1).matches("[0-9]+")) {
          idsByName.computeIfAbsent(known.substring(0, dot), k -> new ArrayList<>()).add(known);
        }
      }
      checkTargets(d, idsByName.keySet());
      if (!problems.isEmpty() || built.size() != 1) return null;
      return expandDependencies(built.get(0), idsByName);
    }

    /**
     * Ids no process may have: {@code all} names every process in commands ({@code pmj restart
     * all}), {@code pmj} prefixes pmj's own lines, and an id over {@link #MAX_ID} characters would
     * pad every line of output to its width.
     */
    private boolean reserved(String id, Mark mark, String path) {
      String problem;
      if (id.equals("all")) {
        problem =
            "the id \"all\" is reserved (pmj restart all means every process); choose another";
      } else if (id.equals("pmj")) {
        problem = "the id \"pmj\" is reserved (pmj's own lines carry it); choose another";
      } else if (id.length() > MAX_ID) {
        problem =
            "id of "
                + id.length()
                + " characters; ids are at most "
                + MAX_ID
                + " (every line of output starts with one)";
        if (path.startsWith("processes.")) path = "processes." + EnvFile.shorten(id);
      } else {
        return false;
      }
      problems.add(name, mark, path, problem);
      return true;
    }

    private boolean validId(String id) {
      return id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*");
    }

    // ---- one process ----

    private final class Draft {
      final String name;
      final Mark keyMark;
      final MapNode node;
      final Map<String, DependencyCondition> dependsOn = new LinkedHashMap<>();
      final Map<String, Mark> dependsOnMarks = new LinkedHashMap<>();
      Mark dependsOnMark;

      Draft(String name, Mark keyMark, MapNode node) {
        this.name = name;
        this.keyMark = keyMark;
        this.node = node;
      }

      String path() {
        return "processes." + name;
      }
    }

    private List<ProcessSpec> buildProcess(
        Draft d, boolean globalDevMode, List<Var> globalEnv, List<Var> globalFileVars) {
      Fields f = new Fields(d.node, d.path(), Schema.load());
      readDependsOn(d);
      boolean hasCommand = d.node.get("command") != null;
      boolean hasScript = d.node.get("script") != null;
      if (!hasCommand && !hasScript) {
        problems.add(name, d.keyMark, d.path(), "needs command or script (neither is set)");
      } else if (hasCommand && hasScript) {
        problems.add(
            name,
            d.node.entries().get("script").keyMark(),
            d.path(),
            "has both command and script; keep one (command runs a program, script runs a file with its interpreter)");
      }
      List<Path> processEnvFiles = new ArrayList<>();
      List<Var> processFileVars =
          readEnvFiles(d.node, d.path() + ".envFile", false, processEnvFiles);
      List<Var> processEnv = envVars(d.node.get("env"), d.path() + ".env");
      int instances = (int) f.integer("instances");
      String last = d.name + "." + instances;
      if (instances > 1 && last.length() > MAX_ID) {
        problems.add(
            name,
            d.node.entries().get("instances").keyMark(),
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
      List<ProcessSpec> out = new ArrayList<>();
      int problemsBefore = problems.size();
      for (int instance = 1; instance <= instances; instance++) {
        String id = instances > 1 ? d.name + "." + instance : d.name;
        Variables vars = new Variables(problems);
        vars.addLayer(
            "built-in",
            List.of(
                builtin("PMJ_PROJECT_DIR", dir.toString()),
                builtin("PMJ_PROCESS_ID", id),
                builtin("PMJ_INSTANCE", Integer.toString(instance))));
        vars.addLayer("process env", processEnv);
        vars.addLayer("global env", globalEnv);
        Map<String, Var> fileVars = new LinkedHashMap<>();
        for (Var v : globalFileVars) fileVars.put(v.name(), v);
        for (Var v : processFileVars) fileVars.put(v.name(), v);
        vars.addLayer("env files", new ArrayList<>(fileVars.values()));
        vars.addLayer("environment", environmentVars());

        Map<String, String> env = new LinkedHashMap<>();
        env.putAll(vars.resolveLayer(3));
        env.putAll(vars.resolveLayer(2));
        env.putAll(vars.resolveLayer(1));
        env.putAll(vars.resolveLayer(0));

        Path cwd = dir;
        String cwdText = f.templated("cwd", vars);
        if (cwdText != null) {
          Path resolved = path(dir, cwdText, f.mark("cwd"), d.path() + ".cwd");
          if (resolved != null) {
            cwd = resolved;
            if (!Files.isDirectory(cwd)) {
              problems.add(
                  name,
                  f.mark("cwd"),
                  d.path() + ".cwd",
                  (Files.exists(cwd) ? "not a folder: " : ConfigProblem.NO_FOLDER) + cwd);
            }
          }
        }
        List<String> args = new ArrayList<>();
        if (d.node.get("args") instanceof ListNode list) {
          int i = 0;
          for (ConfigNode item : list.items()) {
            String p = d.path() + ".args[" + i++ + "]";
            if (item instanceof Scalar s && s.value() != null && !(s.value() instanceof Map)) {
              String v = vars.resolve(s.asText(), new Where(name, s.mark(), p));
              if (v != null) args.add(v);
            }
          }
        }
        boolean shell = f.bool("shell");
        List<String> argv = new ArrayList<>();
        Path script = null;
        String interpreterName = "";
        if (hasCommand && !hasScript) {
          argv = command(d, f, vars, shell, args);
        } else if (hasScript && !hasCommand) {
          String scriptText = f.templated("script", vars);
          if (scriptText != null && !scriptText.isBlank()) {
            script = path(cwd, scriptText, f.mark("script"), d.path() + ".script");
          } else if (scriptText != null) {
            problems.add(name, f.mark("script"), d.path() + ".script", "script is empty");
          }
          if (script != null) {
            try {
              Interpreters.Choice choice =
                  new Interpreters(windows).choose(f.string("interpreter"), script, cwd, dir);
              interpreterName = choice.name();
              argv.addAll(choice.argv());
              argv.add(script.toString());
              argv.addAll(args);
            } catch (Interpreters.NotFound e) {
              Mark m = d.node.get("interpreter") != null ? f.mark("interpreter") : f.mark("script");
              problems.add(
                  name,
                  m,
                  d.path() + (d.node.get("interpreter") != null ? ".interpreter" : ".script"),
                  e.getMessage());
            }
          }
        }
        Readiness readiness = readiness(d, vars);
        Object devModeValue = d.node.get("devMode") instanceof Scalar s ? s.value() : null;
        boolean devMode = devModeValue instanceof Boolean b ? b : globalDevMode;
        List<Path> watchPaths = new ArrayList<>();
        for (Located item : f.stringList("watchPaths")) {
          String v = vars.resolve(item.text, new Where(name, item.mark, item.path));
          if (v != null) {
            Path p = path(cwd, v, item.mark, item.path);
            if (p != null) watchPaths.add(p);
          }
        }
        if (watchPaths.isEmpty()) watchPaths.add(cwd);
        List<String> watchIgnore = new ArrayList<>();
        for (Located item : f.stringList("watchIgnore")) watchIgnore.add(item.text);
        Path logFile = null;
        String logText = f.templated("logFile", vars);
        if (logText != null) {
          logFile = path(dir, logText, f.mark("logFile"), d.path() + ".logFile");
        } else if (logs.dir() != null) {
          logFile = logs.dir().resolve(id + ".log");
        }
        long logMaxSize =
            d.node.get("logMaxSize") != null ? f.size("logMaxSize", null) : logs.maxSize();
        int logMaxFiles =
            d.node.get("logMaxFiles") != null
                ? (int) f.integer("logMaxFiles", null)
                : logs.maxFiles();
        long maxMemory = d.node.get("maxMemory") != null ? f.size("maxMemory", null) : 0;
        String colorWord = f.string("color");
        List<String> stopCommand =
            d.node.get("stopCommand") == null
                ? List.of()
                : argv(d.node.get("stopCommand"), d.path() + ".stopCommand", vars);
        if (stopCommand == null) stopCommand = List.of(); // the problem is reported

        if (problems.size() != problemsBefore || argv.isEmpty()) continue;
        out.add(
            new ProcessSpec(
                id,
                instance,
                argv,
                shell,
                script,
                interpreterName,
                args,
                cwd,
                env,
                concat(globalEnvFiles(), processEnvFiles),
                f.bool("autostart"),
                RestartPolicy.of(f.string("restart")),
                (int) f.integer("maxRetries"),
                f.duration("backoff"),
                f.duration("backoffMax"),
                f.duration("healthyAfter"),
                f.string("stopSignal"),
                f.duration("stopTimeout"),
                d.dependsOn,
                readiness,
                devMode,
                devModeValue instanceof Boolean,
                watchPaths,
                watchIgnore,
                f.duration("debounce"),
                f.bool("restartDependents"),
                colorWord == null ? null : Color.of(colorWord),
                instances,
                logFile,
                (int) f.integer("logBuffer"),
                logMaxSize,
                logMaxFiles,
                maxMemory,
                stopCommand,
                f.bool("daemon")));
      }
      return out;
    }

    private List<Path> globalEnvFilesCache;

    private List<Path> globalEnvFiles() {
      return globalEnvFilesCache == null ? List.of() : globalEnvFilesCache;
    }

    private List<String> command(
        Draft d, Fields f, Variables vars, boolean shell, List<String> args) {
      ConfigNode node = d.node.get("command");
      String p = d.path() + ".command";
      List<String> argv = new ArrayList<>();
      if (node instanceof Scalar s && s.value() instanceof String text) {
        String v = vars.resolve(text, new Where(name, s.mark(), p));
        if (v == null) return List.of();
        if (shell) {
          argv.addAll(shellPrefix());
          StringBuilder line = new StringBuilder(v);
          for (String a : args) line.append(' ').append(Words.quote(a));
          argv.add(line.toString());
          return argv;
        }
        try {
          argv.addAll(Words.split(v));
        } catch (Words.UnclosedQuote e) {
          problems.add(name, s.mark(), p, e.getMessage() + " in \"" + EnvFile.shorten(v) + "\"");
          return List.of();
        }
      } else if (node instanceof ListNode list) {
        int i = 0;
        for (ConfigNode item : list.items()) {
          if (item instanceof Scalar s && s.value() instanceof String text) {
            String v = vars.resolve(text, new Where(name, s.mark(), p + "[" + i + "]"));
            if (v != null) argv.add(v);
          }
          i++;
        }
        if (shell && !argv.isEmpty()) {
          List<String> quoted = new ArrayList<>();
          for (String a : argv) quoted.add(Words.quote(a));
          for (String a : args) quoted.add(Words.quote(a));
          List<String> out = new ArrayList<>(shellPrefix());
          out.add(String.join(" ", quoted));
          return out;
        }
      } else {
        return List.of();
      }
      if (argv.isEmpty() || argv.get(0).isEmpty()) {
        problems.add(name, node.mark(), p, "command is empty");
        return List.of();
      }
      argv.addAll(args);
      return argv;
    }

    private List<String> shellPrefix() {
      return windows ? List.of("cmd.exe", "/c") : List.of("/bin/sh", "-c");
    }

    /**
     * A command to run (an exec probe, a stopCommand): a string split into words, or a list; null
     * after a problem, which is reported.
     */
    private List<String> argv(ConfigNode node, String path, Variables vars) {
      List<String> argv = new ArrayList<>();
      if (node instanceof Scalar s && s.value() instanceof String text) {
        String v = vars.resolve(text, new Where(name, s.mark(), path));
        if (v == null) return null;
        try {
          argv.addAll(Words.split(v));
        } catch (Words.UnclosedQuote e) {
          problems.add(name, s.mark(), path, e.getMessage());
          return null;
        }
      } else if (node instanceof ListNode list) {
        for (ConfigNode item : list.items()) {
          if (item instanceof Scalar s && s.value() instanceof String text) {
            String v = vars.resolve(text, new Where(name, s.mark(), path));
            if (v == null) return null;
            argv.add(v);
          }
        }
      } else {
        return null; // neither a string nor a list: the schema's check says so
      }
      if (argv.isEmpty()) {
        problems.add(name, node.mark(), path, "command is empty");
        return null;
      }
      return argv;
    }

    private Readiness readiness(Draft d, Variables vars) {
      if (!(d.node.get("readiness") instanceof MapNode r)) return null;
      String p = d.path() + ".readiness";
      Fields f = new Fields(r, p, null);
      List<String> kinds = new ArrayList<>();
      for (String k : List.of("http", "tcp", "exec", "logLine")) if (r.get(k) != null) kinds.add(k);
      if (kinds.size() != 1) {
        problems.add(
            name,
            r.mark(),
            p,
            kinds.isEmpty()
                ? "needs one of http, tcp, exec, logLine"
                : "has "
                    + String.join(" and ", kinds)
                    + "; keep exactly one of http, tcp, exec, logLine");
        return null;
      }
      Duration interval = f.duration("interval", Schema.load().readinessDefault("interval"));
      Duration timeout = f.duration("timeout", Schema.load().readinessDefault("timeout"));
      String kind = kinds.get(0);
      ConfigNode node = r.get(kind);
      String kp = p + "." + kind;
      if (kind.equals("exec")) {
        List<String> argv = argv(node, kp, vars);
        if (argv == null) return null;
        return new Readiness.Exec(argv, interval, timeout);
      }
      if (!(node instanceof Scalar s && s.value() instanceof String text)) return null;
      String v = vars.resolve(text, new Where(name, s.mark(), kp));
      if (v == null) return null;
      switch (kind) {
        case "http":
          try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
              problems.add(
                  name,
                  s.mark(),
                  kp,
                  "must be an http:// or https:// URL with a host, such as http://localhost:8000/health (got \""
                      + v
                      + "\")");
              return null;
            }
            return new Readiness.Http(uri, interval, timeout);
          } catch (URISyntaxException e) {
            problems.add(
                name, s.mark(), kp, "not a valid URL: " + e.getReason() + " (got \"" + v + "\")");
            return null;
          }
        case "tcp":
          int colon = v.lastIndexOf(':');
          String host = colon < 0 ? "" : v.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]"))
            host = host.substring(1, host.length() - 1);
          int port = -1;
          try {
            port = colon < 0 ? -1 : Integer.parseInt(v.substring(colon + 1));
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (host.isEmpty() || port < 1 || port > 65535) {
            problems.add(
                name,
                s.mark(),
                kp,
                "must be HOST:PORT with a port from 1 to 65535, such as localhost:5432 (got \""
                    + v
                    + "\")");
            return null;
          }
          return new Readiness.Tcp(host, port, interval, timeout);
        default:
          try {
            return new Readiness.LogLine(Pattern.compile(v), interval, timeout);
          } catch (PatternSyntaxException e) {
            problems.add(
                name,
                s.mark(),
                kp,
                "not a valid regular expression: "
                    + e.getDescription()
                    + " near index "
                    + e.getIndex()
                    + " (got \""
                    + v
                    + "\")");
            return null;
          }
      }
    }

    private void readDependsOn(Draft d) {
      ConfigNode node = d.node.get("dependsOn");
      if (node == null) return;
      d.dependsOnMark = d.node.entries().get("dependsOn").keyMark();
      if (node instanceof MapNode map) {
        for (Entry e : map.entries().values()) {
          if (e.value() instanceof Scalar s && s.value() instanceof String word) {
            try {
              d.dependsOn.put(e.key(), DependencyCondition.of(word));
              d.dependsOnMarks.put(e.key(), e.keyMark());
            } catch (IllegalArgumentException ex) {
              // reported by the schema
            }
          }
        }
      } else if (node instanceof ListNode list) {
        for (ConfigNode item : list.items()) {
          if (item instanceof Scalar s && s.value() instanceof String dep) {
            if (d.dependsOn.putIfAbsent(dep, DependencyCondition.STARTED) != null) {
              problems.add(
                  name, s.mark(), d.path() + ".dependsOn", "\"" + dep + "\" is listed twice");
            }
            d.dependsOnMarks.putIfAbsent(dep, s.mark());
          }
        }
      }
    }

    /** Every dependency of {@code d} names another process of {@code known}. */
    private void checkTargets(Draft d, java.util.Set<String> known) {
      for (Map.Entry<String, Mark> dep : d.dependsOnMarks.entrySet()) {
        String target = dep.getKey();
        String p = d.path() + ".dependsOn." + target;
        if (target.equals(d.name)) {
          problems.add(name, dep.getValue(), p, "a process cannot depend on itself");
        } else if (!known.contains(target)) {
          String dym = Suggestions.didYouMean(target, known);
          problems.add(
              name,
              dep.getValue(),
              p,
              "unknown process \""
                  + target
                  + "\" ("
                  + (dym.isEmpty() ? "processes are: " + String.join(", ", known) : dym)
                  + ")");
        }
      }
    }

    private void checkDependencies(List<Draft> drafts, Map<String, List<String>> idsByName) {
      Map<String, Draft> byName = new LinkedHashMap<>();
      for (Draft d : drafts) byName.put(d.name, d);
      for (Draft d : drafts) checkTargets(d, byName.keySet());
      // Cycles: depth-first search over process names; each cycle reported once.
      Map<String, Integer> state = new HashMap<>();
      for (Draft d : drafts) findCycle(d.name, byName, state, new ArrayList<>());
    }

    private void findCycle(
        String current, Map<String, Draft> byName, Map<String, Integer> state, List<String> stack) {
      Integer s = state.get(current);
      if (s != null && s == 2) return;
      if (s != null && s == 1) {
        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(current), stack.size()));
        cycle.add(current);
        Draft first = byName.get(cycle.get(0));
        problems.add(
            name,
            first.dependsOnMark,
            first.path() + ".dependsOn",
            "dependency cycle: " + String.join(" -> ", cycle));
        return;
      }
      state.put(current, 1);
      stack.add(current);
      Draft d = byName.get(current);
      for (String dep : d.dependsOn.keySet()) {
        if (byName.containsKey(dep) && !dep.equals(current)) findCycle(dep, byName, state, stack);
      }
      stack.remove(stack.size() - 1);
      state.put(current, 2);
    }

    private ProcessSpec expandDependencies(ProcessSpec s, Map<String, List<String>> idsByName) {
      Map<String, DependencyCondition> deps = new LinkedHashMap<>();
      s.dependsOn()
          .forEach(
              (dep, cond) ->
                  idsByName.getOrDefault(dep, List.of()).forEach(id -> deps.put(id, cond)));
      return s.withDependsOn(deps);
    }

    // ---- env ----

    private Var builtin(String key, String value) {
      return new Var(0, key, value, true, new Where(name, null, key));
    }

    private List<Var> envVars(ConfigNode node, String path) {
      List<Var> vars = new ArrayList<>();
      if (node instanceof MapNode map) {
        for (Entry e : map.entries().values()) {
          if (e.value() instanceof Scalar s
              && s.value() != null
              && e.key().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            vars.add(
                new Var(
                    0,
                    e.key(),
                    s.asText(),
                    false,
                    new Where(name, s.mark(), path + "." + e.key())));
          }
        }
      }
      return vars;
    }

    /** Reads the env files named under {@code key}; the global default is .env when it exists. */
    private List<Var> readEnvFiles(MapNode owner, String key, boolean global, List<Path> pathsOut) {
      String localKey = key.substring(key.lastIndexOf('.') + 1);
      List<Located> listed =
          new Fields(owner, key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "", null)
              .stringList(localKey);
      List<Var> out = new ArrayList<>();
      if (owner.get(localKey) == null && global) {
        Path dotenv = dir.resolve(".env");
        if (Files.isRegularFile(dotenv)) {
          pathsOut.add(dotenv);
          out.addAll(envFile(dotenv));
        }
      }
      for (Located item : listed) {
        Path p = path(dir, item.text, item.mark, item.path);
        if (p == null) continue;
        if (!Files.isRegularFile(p)) {
          problems.add(
              name,
              item.mark,
              item.path,
              (Files.exists(p) ? "not a file: " : ConfigProblem.NO_ENV_FILE) + p);
          continue;
        }
        pathsOut.add(p);
        out.addAll(envFile(p));
      }
      if (global) globalEnvFilesCache = List.copyOf(pathsOut);
      return out;
    }

    private List<Var> envFile(Path p) {
      return envFiles.computeIfAbsent(
          p,
          path -> {
            String display = display(path);
            String text = Sources.read(path, display, problems);
            List<Var> vars = new ArrayList<>();
            if (text == null) return vars;
            for (EnvFile.Line line : EnvFile.parse(text, display, problems)) {
              vars.add(
                  new Var(
                      0,
                      line.key(),
                      line.value(),
                      line.literal(),
                      new Where(display, line.mark(), line.key())));
            }
            return vars;
          });
    }

    /**
     * Typed access to the keys of one mapping. A value that is missing or has the wrong type
     * (already reported by the schema) gives the schema's default, so one mistake is reported once.
     */
    private final class Fields {
      private final MapNode node;
      private final String path;
      private final Schema processSchema;

      Fields(MapNode node, String path, Schema processSchema) {
        this.node = node;
        this.path = path;
        this.processSchema = processSchema;
      }

      private ConfigNode valueOrDefault(String key, ConfigNode fallback) {
        ConfigNode v = node.get(key);
        return v != null ? v : fallback;
      }

      private ConfigNode def(String key) {
        return processSchema == null ? null : processSchema.processDefault(key);
      }

      Mark mark(String key) {
        ConfigNode v = node.get(key);
        return v == null ? node.mark() : v.mark();
      }

      String string(String key) {
        return string(key, def(key));
      }

      String string(String key, ConfigNode fallback) {
        ConfigNode v = node.get(key);
        if (v instanceof Scalar s && s.value() instanceof String str && schemaAccepts(key, str))
          return str;
        return fallback instanceof Scalar s && s.value() instanceof String str ? str : null;
      }

      private boolean schemaAccepts(String key, String value) {
        if (processSchema == null) return true;
        List<String> allowed = processSchema.enumOf(key);
        return allowed.isEmpty() || allowed.contains(value);
      }

      /** A string value with templates resolved; null when unset or when it has a problem. */
      String templated(String key, Variables vars) {
        ConfigNode v = node.get(key);
        if (!(v instanceof Scalar s && s.value() instanceof String str)) {
          ConfigNode d = def(key);
          if (v == null && d instanceof Scalar ds && ds.value() instanceof String str2) {
            return vars.resolve(str2, new Where(name, node.mark(), path + "." + key));
          }
          return null;
        }
        return vars.resolve(str, new Where(name, s.mark(), path + "." + key));
      }

      boolean bool(String key) {
        return bool(key, def(key));
      }

      boolean bool(String key, ConfigNode fallback) {
        ConfigNode v = valueOrDefault(key, fallback);
        if (v instanceof Scalar s && s.value() instanceof Boolean b) return b;
        return fallback instanceof Scalar s && s.value() instanceof Boolean b && b;
      }

      long integer(String key) {
        return integer(key, def(key));
      }

      long integer(String key, ConfigNode fallback) {
        ConfigNode v = node.get(key);
        if (v instanceof Scalar s && s.value() instanceof Long n && inRange(key, n)) return n;
        return fallback instanceof Scalar s && s.value() instanceof Long n ? n : 0;
      }

      private boolean inRange(String key, long n) {
        if (key.equals("instances")) return n >= 1 && n <= 64;
        if (key.equals("maxRetries")) return n >= -1;
        if (key.equals("version")) return n == 1;
        if (key.equals("logBuffer")) return n >= 0 && n <= 1_000_000;
        if (key.equals("logMaxFiles")) return n >= 0 && n <= 100;
        return true;
      }

      /** A size in bytes; a value the schema refused (already reported) gives the fallback. */
      long size(String key, ConfigNode fallback) {
        ConfigNode v = node.get(key);
        if (v instanceof Scalar s && s.value() instanceof String str) {
          try {
            return Sizes.parse(str);
          } catch (ArithmeticException e) {
            problems.add(
                name,
                s.mark(),
                path.isEmpty() ? key : path + "." + key,
                "too large (got \"" + str + "\")");
          } catch (IllegalArgumentException e) {
            // reported by the schema
          }
        }
        return fallback instanceof Scalar s && s.value() instanceof String str
            ? Sizes.parse(str)
            : 0;
      }

      Duration duration(String key) {
        return duration(key, def(key));
      }

      Duration duration(String key, ConfigNode fallback) {
        ConfigNode v = node.get(key);
        if (v instanceof Scalar s && s.value() instanceof String str) {
          try {
            return Durations.parse(str);
          } catch (IllegalArgumentException e) {
            // reported by the schema
          }
        }
        return Durations.parse((String) ((Scalar) fallback).value());
      }

      List<Located> stringList(String key) {
        ConfigNode v = node.get(key);
        String p = path.isEmpty() ? key : path + "." + key;
        List<Located> out = new ArrayList<>();
        if (v instanceof Scalar s && s.value() instanceof String str) {
          out.add(new Located(str, s.mark(), p));
        } else if (v instanceof ListNode list) {
          int i = 0;
          for (ConfigNode item : list.items()) {
            if (item instanceof Scalar s && s.value() instanceof String str)
              out.add(new Located(str, s.mark(), p + "[" + i + "]"));
            i++;
          }
        }
        return out;
      }
    }

    private Path path(Path base, String text, Mark mark, String path) {
      try {
        return base.resolve(text).normalize();
      } catch (InvalidPathException e) {
        problems.add(
            name, mark, path, "not a valid path: " + e.getReason() + " (got \"" + text + "\")");
        return null;
      }
    }
  }

  /** A string from the file with where it was written. */
  private record Located(String text, Mark mark, String path) {}

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
