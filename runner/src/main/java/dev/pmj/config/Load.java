package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.ProcessReader.Draft;
import dev.pmj.config.Variables.Var;
import dev.pmj.config.Variables.Where;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** One load: reading one file, or one process added at run time, and the problems found. */
final class Load {
  private final Path file;
  private final List<Path> merged;
  private final Layers layers;
  private final Path dir;
  private String name;
  private final Problems problems = new Problems();
  private final Map<String, String> environment;
  private final boolean windows;
  private final Translator translator;
  private final Function<Path, String> display;
  private Map<String, Integer> scaled = Map.of();

  /**
   * @param layers the files to read, absolute: the first is the ecosystem file, the others are
   *     merged over it in order
   * @param name how the first file is named in messages
   * @param display how another file's name is shown in messages
   */
  Load(
      Layers layers,
      String name,
      Map<String, String> environment,
      boolean windows,
      Translator translator,
      Function<Path, String> display) {
    this.layers = layers;
    this.merged = layers.read();
    this.file = merged.get(0);
    this.dir = file.getParent();
    this.name = name;
    this.environment = environment;
    this.windows = windows;
    this.translator = translator;
    this.display = display;
  }

  /** Reads these processes with these counts of instances instead of the file's. */
  Load scaled(Map<String, Integer> instances) {
    this.scaled = Map.copyOf(instances);
    return this;
  }

  List<ConfigProblem> problems() {
    return problems.sorted();
  }

  /** Loads the files, or {@code given} as the first one's text when not null. */
  LoadResult run(String given) {
    List<String> warnings = new ArrayList<>();
    MapNode top = null;
    boolean failed = false;
    for (int i = 0; i < merged.size(); i++) {
      Path f = merged.get(i);
      MapNode one = i == 0 ? readFirst(given, warnings) : readOne(f, display.apply(f));
      if (one == null) {
        failed = true;
      } else {
        top = top == null ? one : Merge.over(top, one);
      }
    }
    if (translated != null) return new LoadResult(null, translated);
    if (failed) return failure();
    Schema.load().validate(top, name, problems);
    origins = Merge.origins(top, name);
    Project project = build(top);
    if (!problems.isEmpty()) return failure();
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(problems.warnings());
    return new LoadResult(project, List.of(), all);
  }

  private Map<List<String>, String> origins = Map.of();

  /** What the translation of another runner's file found wrong, said as it says it. */
  private List<ConfigProblem> translated;

  /** A file merged over the first: its values say they are in it. */
  private MapNode readOne(Path f, String fileName) {
    if (!Files.exists(f)) {
      problems.add(fileName, null, "", "no such file");
      return null;
    }
    String text = Sources.read(f, fileName, problems);
    if (text == null) return null;
    boolean json = f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    ConfigNode root =
        json
            ? new JsonReader(fileName, problems).read(text)
            : new YamlReader(fileName, problems).read(text);
    if (root == null) {
      // An empty override file changes nothing (a personal file with everything commented out).
      return problems.isEmpty() ? new MapNode(Mark.START, Map.of()) : null;
    }
    return topLevel(Merge.tag(root, fileName), fileName);
  }

  private MapNode topLevel(ConfigNode root, String fileName) {
    if (!(root instanceof MapNode top)) {
      problems.add(
          fileName,
          root.mark(),
          "",
          "the file must be a mapping with keys such as version and processes (got "
              + root.kind()
              + ")");
      return null;
    }
    return top;
  }

  /** The ecosystem file, or {@code given} as its text; another runner's file is translated. */
  private MapNode readFirst(String given, List<String> warnings) {
    String text = given;
    if (text == null) {
      if (!Files.exists(file)) {
        problems.add(name, null, "", "no such file");
        return null;
      }
      text = Sources.read(file, name, problems);
      if (text == null) return null;
    }
    boolean json =
        given == null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    Translator.Translation translation =
        given == null
                && translator != null
                && !Sources.NAMES.contains(file.getFileName().toString())
            ? translator.translate(file, text)
            : null;
    if (translation != null) {
      if (!translation.problems().isEmpty()) {
        translated = translation.problems();
        return null;
      }
      text = translation.yaml();
      json = false;
      warnings.addAll(translation.warnings());
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
      return null;
    }
    return topLevel(root, name);
  }

  private LoadResult failure() {
    return new LoadResult(null, problems.sorted());
  }

  private EnvSources sources() {
    return new EnvSources(name, dir, problems, environment, display);
  }

  private Project build(MapNode top) {
    Fields g = new Fields(top, "", Schema.load().topLevel(), name, problems);
    int version = (int) g.integer("version");
    String projectName = g.string("name");
    if (projectName == null || projectName.isEmpty())
      projectName = dir.getFileName() == null ? "pmj" : dir.getFileName().toString();
    boolean devMode = g.bool("devMode");

    EnvSources sources = sources();
    List<Path> envFiles = new ArrayList<>();
    List<Var> fileVars = sources.envFiles(top, "", true, envFiles);
    List<Var> env = sources.env(top.get("env"), "env");
    Map<String, String> envText = new LinkedHashMap<>();
    for (Var v : env) envText.put(v.name(), v.value());
    ProcessReader.Defaults defaults =
        new ProcessReader.Defaults(
            devMode,
            env,
            fileVars,
            List.copyOf(envFiles),
            logDir(g, sources, env, fileVars),
            g.size("logMaxSize"),
            (int) g.integer("logMaxFiles"));
    ProcessReader reader = new ProcessReader(name, dir, problems, sources, windows, defaults);

    Map<String, Draft> drafts = new LinkedHashMap<>();
    if (top.get("processes") instanceof MapNode processes) {
      for (Entry e : processes.entries().values()) {
        if (e.value() instanceof MapNode p && validId(e.key())) {
          if (reserved(e.key(), e.keyMark(), "processes." + e.key())) continue;
          drafts.put(e.key(), reader.draft(e.key(), e.keyMark(), p));
        }
      }
    }
    List<ProcessSpec> specs = new ArrayList<>();
    Map<String, List<String>> idsByName = new LinkedHashMap<>();
    Map<String, Draft> byId = new HashMap<>();
    for (Draft d : drafts.values()) {
      List<String> ids = new ArrayList<>();
      for (ProcessSpec s : reader.read(d, scaled.get(d.name()))) {
        Draft other = byId.putIfAbsent(s.id(), d);
        if (other != null) {
          problems.add(
              name,
              d.keyMark(),
              d.path(),
              "id \""
                  + s.id()
                  + "\" is used twice: by processes."
                  + other.name()
                  + (other.name().equals(s.id()) ? "" : " (instances)")
                  + " and by processes."
                  + d.name()
                  + (d.name().equals(s.id()) ? "" : " (instances)"));
        }
        ids.add(s.id());
        specs.add(s);
      }
      idsByName.put(d.name(), ids);
    }
    Dependencies dependencies = new Dependencies(name, problems);
    Map<String, Dependencies.Declared> declared = new LinkedHashMap<>();
    for (Draft d : drafts.values()) {
      dependencies.checkTargets(d.name(), d.path(), d.dependsOn(), drafts.keySet());
      declared.put(d.name(), d.dependsOn());
    }
    dependencies.checkCycles(declared);
    if (!problems.isEmpty()) return null;
    // dependsOn names expand to instance ids now that all ids are known
    List<ProcessSpec> expanded = new ArrayList<>();
    for (ProcessSpec s : specs) expanded.add(Dependencies.expand(s, idsByName));
    return new Project(
        file,
        dir,
        version,
        projectName,
        envFiles,
        envText,
        devMode,
        defaults.logDir(),
        defaults.logMaxSize(),
        defaults.logMaxFiles(),
        expanded,
        new Layers(layers.given(), layers.read(), layers.watched(), origins),
        Selection.ALL);
  }

  /** The top-level logDir with templates resolved (global variables only), or null. */
  private Path logDir(Fields g, EnvSources sources, List<Var> env, List<Var> fileVars) {
    Variables vars = new Variables(problems);
    vars.addLayer("global env", env);
    vars.addLayer("env files", fileVars);
    vars.addLayer("environment", sources.environment());
    String text = g.templated("logDir", vars);
    return text == null || text.isBlank() ? null : g.path(dir, text, g.mark("logDir"), "logDir");
  }

  /** A process of a request: see {@link ConfigLoader#loadProcess}. */
  ProcessSpec adHoc(Project project, String json, Set<String> knownIds) {
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
    top.put("processes", new Entry("processes", node.mark(), new MapNode(node.mark(), processes)));
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
    EnvSources sources = sources();
    List<Var> env = new ArrayList<>();
    String fileName = display.apply(project.file());
    project
        .env()
        .forEach((k, v) -> env.add(new Var(0, k, v, false, new Where(fileName, null, "env." + k))));
    List<Var> fileVars = new ArrayList<>();
    for (Path p : project.envFile()) fileVars.addAll(sources.envFile(p));
    ProcessReader.Defaults defaults =
        new ProcessReader.Defaults(
            project.devMode(),
            env,
            fileVars,
            project.envFile(),
            project.logDir(),
            project.logMaxSize(),
            project.logMaxFiles());
    ProcessReader reader = new ProcessReader(name, dir, problems, sources, windows, defaults);
    Draft d = reader.draft(id, node.mark(), node);
    List<ProcessSpec> built = reader.read(d);
    Map<String, List<String>> idsByName = new LinkedHashMap<>();
    for (String known : knownIds) {
      idsByName.computeIfAbsent(known, k -> new ArrayList<>()).add(known);
      int dot = known.lastIndexOf('.');
      if (dot > 0 && known.substring(dot + 1).matches("[0-9]+")) {
        idsByName.computeIfAbsent(known.substring(0, dot), k -> new ArrayList<>()).add(known);
      }
    }
    new Dependencies(name, problems)
        .checkTargets(d.name(), d.path(), d.dependsOn(), idsByName.keySet());
    if (!problems.isEmpty() || built.size() != 1) return null;
    return Dependencies.expand(built.get(0), idsByName);
  }

  /**
   * Ids no process may have: {@code all} names every process in commands ({@code pmj restart all}),
   * {@code pmj} prefixes pmj's own lines, and an id over {@link ProcessReader#MAX_ID} characters
   * would pad every line of output to its width.
   */
  private boolean reserved(String id, Mark mark, String path) {
    String problem;
    if (id.equals("all")) {
      problem = "the id \"all\" is reserved (pmj restart all means every process); choose another";
    } else if (id.equals("pmj")) {
      problem = "the id \"pmj\" is reserved (pmj's own lines carry it); choose another";
    } else if (id.length() > ProcessReader.MAX_ID) {
      problem =
          "id of "
              + id.length()
              + " characters; ids are at most "
              + ProcessReader.MAX_ID
              + " (every line of output starts with one)";
      if (path.startsWith("processes.")) path = "processes." + EnvFile.shorten(id);
    } else {
      return false;
    }
    problems.add(name, mark, path, problem);
    return true;
  }

  private static boolean validId(String id) {
    return id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*");
  }
}
