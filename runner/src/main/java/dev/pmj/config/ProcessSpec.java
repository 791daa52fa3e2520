package dev.pmj.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run, fully resolved: templates substituted, paths absolute, the interpreter
 * chosen, instances expanded. The component names are the file's keys (a test holds them equal to
 * the schema's), plus {@code id} and {@code instance}.
 *
 * @param id the process id; {@code api.2} for the second of several instances
 * @param instance 1-based instance number
 * @param command the final argv (interpreter and script, or the split command, plus args)
 * @param script the script file, or null when the process is a command
 * @param interpreter the program chosen to run the script ("none" when run directly, "" for a
 *     command)
 * @param env the variables pmj sets for the process (env files, global and process env, built-ins)
 * @param dependsOn dependency ids (instances expanded) and the condition for each
 * @param devMode whether file changes restart this process
 * @param devModeSet whether the process sets devMode itself (then {@code pmj up --dev} leaves it)
 * @param logFile where output is also written (its own logFile, else the project's logDir), or null
 * @param logBuffer lines of output kept in memory
 * @param logMaxSize bytes at which logFile is rotated
 * @param logMaxFiles rotated files kept
 * @param maxMemory bytes of memory the process tree may keep using; 0 for no limit
 * @param stopCommand the argv that stops the process its own way, run before the stop signal; empty
 *     for none
 * @param daemon whether the program starts a daemon and exits (exit 0 means started)
 */
public record ProcessSpec(
    String id,
    int instance,
    List<String> command,
    boolean shell,
    Path script,
    String interpreter,
    List<String> args,
    Path cwd,
    Map<String, String> env,
    List<Path> envFile,
    boolean autostart,
    RestartPolicy restart,
    int maxRetries,
    Duration backoff,
    Duration backoffMax,
    Duration healthyAfter,
    String stopSignal,
    Duration stopTimeout,
    Map<String, DependencyCondition> dependsOn,
    Readiness readiness,
    boolean devMode,
    boolean devModeSet,
    List<Path> watchPaths,
    List<String> watchIgnore,
    Duration debounce,
    boolean restartDependents,
    Color color,
    int instances,
    Path logFile,
    int logBuffer,
    long logMaxSize,
    int logMaxFiles,
    long maxMemory,
    List<String> stopCommand,
    boolean daemon) {

  public ProcessSpec {
    Objects.requireNonNull(id, "id");
    if (command.isEmpty()) throw new IllegalArgumentException("empty command for " + id);
    if (instance < 1 || instance > instances)
      throw new IllegalArgumentException("instance " + instance + " of " + instances);
    if (maxRetries < -1) throw new IllegalArgumentException("maxRetries " + maxRetries);
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    envFile = List.copyOf(envFile);
    dependsOn = Map.copyOf(dependsOn);
    watchPaths = List.copyOf(watchPaths);
    watchIgnore = List.copyOf(watchIgnore);
    stopCommand = List.copyOf(stopCommand);
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(restart, "restart");
    if (logBuffer < 0) throw new IllegalArgumentException("logBuffer " + logBuffer);
    if (maxMemory < 0) throw new IllegalArgumentException("maxMemory " + maxMemory);
  }

  /**
   * The keys whose resolved values differ from {@code other}'s, in file order ({@code command},
   * {@code env}…): empty when both run the same way. The number of instances is left out: another
   * copy of a process does not change this one.
   */
  public List<String> differences(ProcessSpec other) {
    List<String> out = new java.util.ArrayList<>();
    for (java.lang.reflect.RecordComponent c : ProcessSpec.class.getRecordComponents()) {
      String name = c.getName();
      if (name.equals("instances") || name.equals("devModeSet")) continue;
      try {
        Object a = c.getAccessor().invoke(this);
        Object b = c.getAccessor().invoke(other);
        if (!sameValue(a, b)) out.add(name);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static boolean sameValue(Object a, Object b) {
    // A pattern has no equals of its own: the same regular expression is the same probe.
    if (a instanceof Readiness.LogLine x && b instanceof Readiness.LogLine y) {
      return x.pattern().pattern().equals(y.pattern().pattern())
          && x.interval().equals(y.interval())
          && x.timeout().equals(y.timeout());
    }
    return Objects.equals(a, b);
  }

  /** The same process with other dependencies (names expanded to instance ids). */
  public ProcessSpec withDependsOn(Map<String, DependencyCondition> deps) {
    return new ProcessSpec(
        id,
        instance,
        command,
        shell,
        script,
        interpreter,
        args,
        cwd,
        env,
        envFile,
        autostart,
        restart,
        maxRetries,
        backoff,
        backoffMax,
        healthyAfter,
        stopSignal,
        stopTimeout,
        deps,
        readiness,
        devMode,
        devModeSet,
        watchPaths,
        watchIgnore,
        debounce,
        restartDependents,
        color,
        instances,
        logFile,
        logBuffer,
        logMaxSize,
        logMaxFiles,
        maxMemory,
        stopCommand,
        daemon);
  }
}
