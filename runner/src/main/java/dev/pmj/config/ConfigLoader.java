package dev.pmj.config;

import java.nio.file.Path;
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

  public LoadResult load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return newLoad(abs, display(abs)).run(null);
  }

  /**
   * Loads the file with other counts of instances for some processes ({@code pmj scale}: name →
   * count, at least 1); instance 1 keeps the id the file gives it.
   */
  public LoadResult load(Path file, Map<String, Integer> instances) {
    Path abs = file.toAbsolutePath().normalize();
    return newLoad(abs, display(abs)).scaled(instances).run(null);
  }

  /**
   * Loads {@code text} as the pmj file {@code file} would be (its folder, its name in messages),
   * without reading the file: for a pmj.yaml about to be written.
   */
  public LoadResult load(Path file, String text) {
    Path abs = file.toAbsolutePath().normalize();
    return newLoad(abs, display(abs)).run(text);
  }

  /**
   * Builds a process added at run time (an ad-hoc process) from a JSON object, with the same checks
   * as a process of the file, plus its {@code id}: {@code source} names the text in messages
   * ("request body"). Its variables, env files and defaults are the project's; its dependencies
   * must be processes in {@code knownIds}.
   */
  public AdHocResult loadProcess(
      Project project, String json, String source, Set<String> knownIds) {
    Load load = newLoad(project.file(), source);
    ProcessSpec spec = load.adHoc(project, json, knownIds);
    return new AdHocResult(spec, load.problems());
  }

  private Load newLoad(Path file, String name) {
    return new Load(file, name, environment, windows, translator, this::display);
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
