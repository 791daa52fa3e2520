package dev.pmj.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded, valid ecosystem file. Components after {@code file} and {@code dir} are the file's
 * top-level keys.
 *
 * @param file the ecosystem file, absolute
 * @param dir the project folder (the file's folder)
 * @param env the global variables as written (templates unresolved: they resolve per process)
 * @param logDir the folder every process's output is also written to (as ID.log), or null
 * @param processes every process of the run, instances expanded, in file order
 * @param layers the files read, and where each value came from
 * @param selection which of the file's processes are part of the run (profiles, --except)
 */
public record Project(
    Path file,
    Path dir,
    int version,
    String name,
    List<Path> envFile,
    Map<String, String> env,
    boolean devMode,
    Path logDir,
    long logMaxSize,
    int logMaxFiles,
    List<ProcessSpec> processes,
    Layers layers,
    Selection selection) {

  public Project {
    java.util.Objects.requireNonNull(layers, "layers");
    java.util.Objects.requireNonNull(selection, "selection");
    envFile = List.copyOf(envFile);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    processes = List.copyOf(processes);
  }

  /** The same project with only {@code kept} of its processes, chosen by {@code chosen}. */
  Project select(List<ProcessSpec> kept, Selection chosen) {
    return new Project(
        file,
        dir,
        version,
        name,
        envFile,
        env,
        devMode,
        logDir,
        logMaxSize,
        logMaxFiles,
        kept,
        layers,
        chosen);
  }

  /** The process with this id, or null. */
  public ProcessSpec process(String id) {
    for (ProcessSpec p : processes) if (p.id().equals(id)) return p;
    return null;
  }
}
