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
 * @param processes every process, instances expanded, in file order
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
    List<ProcessSpec> processes) {

  public Project {
    envFile = List.copyOf(envFile);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    processes = List.copyOf(processes);
  }

  /** The process with this id, or null. */
  public ProcessSpec process(String id) {
    for (ProcessSpec p : processes) if (p.id().equals(id)) return p;
    return null;
  }
}
