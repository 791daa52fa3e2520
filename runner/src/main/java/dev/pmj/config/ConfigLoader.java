package dev.pmj.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads an ecosystem file into a {@link Project}: read (YAML or JSON), validate against the schema,
 * resolve templates, env files and interpreters, expand instances, check dependencies. Every
 * problem is collected; nothing stops at the first one.
 *
 * <p>The work is done by parts with one job each: {@link Load} (one file or request), {@link
 * ProcessReader} (one process), {@link Fields} (typed keys with the schema's defaults and ranges),
 * {@link CommandLines}, {@link ReadinessReader}, {@link EnvSources} and {@link Dependencies}.
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

  /** Loads {@code file} with the override file beside it merged over it, when there is one. */
  public LoadResult load(Path file) {
    return load(List.of(file));
  }

  /**
   * Loads {@code files} merged left to right (-f a -f b); a single file has the override file
   * beside it merged over it, when there is one (see the README's "Team files").
   */
  public LoadResult load(List<Path> files) {
    return newLoad(layers(files), display(files.get(0).toAbsolutePath().normalize())).run(null);
  }

  /** The files a load of {@code files} reads and watches (with the override file of one). */
  private static Layers layers(List<Path> files) {
    List<Path> given = new ArrayList<>();
    for (Path f : files) given.add(f.toAbsolutePath().normalize());
    List<Path> read = new ArrayList<>(given);
    List<Path> watched = new ArrayList<>(given);
    if (given.size() == 1) {
      for (Path o : Sources.overrides(given.get(0))) {
        watched.add(o);
        if (read.size() == 1 && Files.isRegularFile(o)) read.add(o);
      }
    }
    return new Layers(given, read, watched, Map.of());
  }

  /**
   * Loads the files {@code previous} was loaded from again, and chooses the same processes from
   * them (its profiles, named processes and --except): for a reload.
   */
  public LoadResult reload(Project previous) {
    LoadResult r = load(previous.layers().given());
    if (!r.ok()) return r;
    try {
      return new LoadResult(
          previous.selection().apply(r.project(), false).project(), List.of(), r.warnings());
    } catch (Selection.Refused e) {
      return new LoadResult(
          null, List.of(new ConfigProblem(display(previous.file()), null, "", e.getMessage())));
    }
  }

  /**
   * Loads the files {@code previous} was loaded from with other counts of instances for some
   * processes ({@code pmj scale}: name → count, at least 1); instance 1 keeps the id the file gives
   * it.
   */
  public LoadResult load(Project previous, Map<String, Integer> instances) {
    List<Path> given = previous.layers().given();
    return newLoad(layers(given), display(given.get(0))).scaled(instances).run(null);
  }

  /**
   * Loads {@code text} as the pmj file {@code file} would be (its folder, its name in messages),
   * without reading the file: for a pmj.yaml about to be written.
   */
  public LoadResult load(Path file, String text) {
    Path abs = file.toAbsolutePath().normalize();
    return newLoad(Layers.of(abs), display(abs)).run(text);
  }

  /**
   * Builds a process added at run time (an ad-hoc process) from a JSON object, with the same checks
   * as a process of the file, plus its {@code id}: {@code source} names the text in messages
   * ("request body"). Its variables, env files and defaults are the project's; its dependencies
   * must be processes in {@code knownIds}.
   */
  public AdHocResult loadProcess(
      Project project, String json, String source, Set<String> knownIds) {
    Load load = newLoad(Layers.of(project.file()), source);
    ProcessSpec spec = load.adHoc(project, json, knownIds);
    return new AdHocResult(spec, load.problems());
  }

  private Load newLoad(Layers layers, String name) {
    return new Load(layers, name, environment, windows, translator, this::display);
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
}
