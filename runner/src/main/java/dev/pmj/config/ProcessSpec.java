package dev.pmj.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run, fully resolved: templates substituted, paths absolute, the interpreter
 * chosen, instances expanded. Its components, and those of its groups ({@link Restart}, {@link
 * Stop}, {@link Watch}, {@link Logs}), are the file's keys (a test holds them equal to the
 * schema's), plus {@code id}, {@code instance} and {@code devModeSet}; a group's component whose
 * short name differs from its key names the key with {@link Key}. Their order is the order {@link
 * #differences} reports keys in: the file's, except {@code stopCommand}, {@code daemon} and {@code
 * interactive}, which came last when they were added and stay there so reload messages read as they
 * always have.
 *
 * @param id the process id; {@code api.2} for the second of several instances
 * @param instance 1-based instance number
 * @param command the final argv (interpreter and script, or the split command, plus args)
 * @param script the script file, or null when the process is a command
 * @param interpreter the program chosen to run the script ("none" when run directly, "" for a
 *     command)
 * @param env the variables pmj sets for the process (env files, global and process env, built-ins)
 * @param dependsOn dependency ids (instances expanded) and the condition for each
 * @param maxMemory bytes of memory the process tree may keep using; 0 for no limit
 * @param stopCommand the argv that stops the process its own way, run before the stop signal; empty
 *     for none
 * @param daemon whether the program starts a daemon and exits (exit 0 means started)
 * @param interactive whether the process runs in a terminal of its own (a pseudo-terminal), so that
 *     a prompt or a debugger in it can be answered
 * @param profiles the profiles the process starts in (empty: always); see the README's "Team files"
 * @param envFromFiles the names of {@code env} whose values come from env files (neither the file's
 *     {@code env} nor a built-in sets them): exports keep them out of what they write inline
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
    Restart restart,
    Stop stop,
    Map<String, DependencyCondition> dependsOn,
    Readiness readiness,
    Watch watch,
    Color color,
    int instances,
    Logs logs,
    long maxMemory,
    List<String> stopCommand,
    boolean daemon,
    boolean interactive,
    List<String> profiles,
    java.util.Set<String> envFromFiles) {

  /** The file's key of a group's component, where it is not the component's name. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  @interface Key {
    String value();
  }

  /** When and how soon a process that ended is started again. */
  public record Restart(
      @Key("restart") RestartPolicy policy,
      int maxRetries,
      Duration backoff,
      Duration backoffMax,
      Duration healthyAfter) {
    public Restart {
      Objects.requireNonNull(policy, "restart");
      if (maxRetries < -1) throw new IllegalArgumentException("maxRetries " + maxRetries);
    }
  }

  /** How a process is stopped: the signal, and how long it has to exit before it is killed. */
  public record Stop(@Key("stopSignal") String signal, @Key("stopTimeout") Duration timeout) {}

  /**
   * Restarts on file changes.
   *
   * @param devMode whether file changes restart this process
   * @param devModeSet whether the process sets devMode itself (then {@code pmj up --dev} leaves it)
   */
  public record Watch(
      boolean devMode,
      boolean devModeSet,
      @Key("watchPaths") List<Path> paths,
      @Key("watchIgnore") List<String> ignore,
      Duration debounce,
      boolean restartDependents) {
    public Watch {
      paths = List.copyOf(paths);
      ignore = List.copyOf(ignore);
    }
  }

  /**
   * Where output is kept.
   *
   * @param file where output is also written (its own logFile, else the project's logDir), or null
   * @param buffer lines of output kept in memory
   * @param maxSize bytes at which the file is rotated
   * @param maxFiles rotated files kept
   */
  public record Logs(
      @Key("logFile") Path file,
      @Key("logBuffer") int buffer,
      @Key("logMaxSize") long maxSize,
      @Key("logMaxFiles") int maxFiles) {
    public Logs {
      if (buffer < 0) throw new IllegalArgumentException("logBuffer " + buffer);
    }
  }

  public ProcessSpec {
    Objects.requireNonNull(id, "id");
    if (command.isEmpty()) throw new IllegalArgumentException("empty command for " + id);
    if (instance < 1 || instance > instances)
      throw new IllegalArgumentException("instance " + instance + " of " + instances);
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    envFile = List.copyOf(envFile);
    dependsOn = Map.copyOf(dependsOn);
    stopCommand = List.copyOf(stopCommand);
    profiles = List.copyOf(profiles);
    envFromFiles = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(envFromFiles));
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(watch, "watch");
    Objects.requireNonNull(logs, "logs");
    if (maxMemory < 0) throw new IllegalArgumentException("maxMemory " + maxMemory);
  }

  /** The groups: records whose components are keys of the file in their own right. */
  private static final List<Class<?>> GROUPS =
      List.of(Restart.class, Stop.class, Watch.class, Logs.class);

  /**
   * The keys whose resolved values differ from {@code other}'s, in file order ({@code command},
   * {@code env}…): empty when both run the same way. The number of instances is left out: another
   * copy of a process does not change this one.
   */
  public List<String> differences(ProcessSpec other) {
    List<String> out = new ArrayList<>();
    differences(this, other, out);
    // where a variable comes from changes no value: env holds the values
    out.removeAll(List.of("instances", "devModeSet", "envFromFiles"));
    return out;
  }

  private static void differences(Record a, Record b, List<String> out) {
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      Object x = value(c, a);
      Object y = value(c, b);
      if (GROUPS.contains(c.getType())) {
        differences((Record) x, (Record) y, out);
      } else if (!sameValue(x, y)) {
        out.add(key(c));
      }
    }
  }

  /** The file's key a component holds. */
  static String key(RecordComponent c) {
    Key key = c.getAnnotation(Key.class);
    return key == null ? c.getName() : key.value();
  }

  /** Every key of the model in file order, groups walked through, with {@code id}... included. */
  static List<String> keys() {
    List<String> out = new ArrayList<>();
    keys(ProcessSpec.class, out);
    return out;
  }

  private static void keys(Class<?> type, List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (GROUPS.contains(c.getType())) keys(c.getType(), out);
      else out.add(key(c));
    }
  }

  private static Object value(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
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
        stop,
        deps,
        readiness,
        watch,
        color,
        instances,
        logs,
        maxMemory,
        stopCommand,
        daemon,
        interactive,
        profiles,
        envFromFiles);
  }
}
