package dev.pmj.convert;

import dev.pmj.config.EnvFileValues;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variables a project's processes take from env files, kept out of what an export writes
 * inline: env files hold secrets (passwords, keys) that belong in the engine's own place for them.
 * Processes with the same variables share one set; an engine writes a set once (a systemd
 * EnvironmentFile, a Kubernetes Secret).
 *
 * <p>Values are the files' as written, not the environment pmj runs in: a variable set in the shell
 * wins over an env file in pmj, but the export runs on another machine, where that shell is not.
 */
final class EnvFileSets {
  /**
   * Variables that one or more processes take from env files.
   *
   * @param owner the process name it is first used by; null for the first set of the project
   * @param files the env files the variables come from, in the order they are read
   * @param values the variables, sorted by name, as the files write them
   * @param templates the names whose value is a template pmj substitutes: written as written
   */
  record Set(String owner, List<Path> files, Map<String, String> values, List<String> templates) {}

  /** {@code $NAME} not written as {@code $$NAME}: what a shell, or Compose, would substitute. */
  private static final java.util.regex.Pattern UNBRACED =
      java.util.regex.Pattern.compile("(?<!\\$)\\$[A-Za-z_]");

  private final List<Set> sets = new ArrayList<>();
  private final Map<String, Set> byProcess = new HashMap<>();
  private final Map<Path, Map<String, EnvFileValues.Value>> read = new HashMap<>();

  /** Reads the project's env files; one that cannot be read any more is an UncheckedIOException. */
  EnvFileSets(Project project) {
    Map<List<Object>, Set> seen = new LinkedHashMap<>();
    for (ProcessSpec p : project.processes()) {
      Map<String, String> values = new TreeMap<>();
      List<String> templates = new ArrayList<>();
      Map<String, EnvFileValues.Value> merged = new HashMap<>();
      for (Path f : p.envFile()) merged.putAll(values(f)); // later files win, as in pmj
      for (String name : p.envFromFiles()) {
        EnvFileValues.Value v = merged.get(name);
        if (v == null) continue; // cannot be: the name came from these files
        values.put(name, v.text());
        if (v.template()) templates.add(name);
      }
      if (values.isEmpty()) continue;
      List<Object> key = List.of(p.envFile(), values);
      Set set = seen.get(key);
      if (set == null) {
        set =
            new Set(
                sets.isEmpty() ? null : Group.nameOf(p), distinct(p.envFile()), values, templates);
        seen.put(key, set);
        sets.add(set);
      }
      byProcess.put(p.id(), set);
    }
  }

  private Map<String, EnvFileValues.Value> values(Path file) {
    return read.computeIfAbsent(
        file,
        f -> {
          try {
            return EnvFileValues.read(f);
          } catch (IOException e) {
            // changed since the project was loaded: said in one line, as pmj says it of a file
            String why = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
            throw new UncheckedIOException("cannot read " + f + ": " + why, e);
          }
        });
  }

  /**
   * One env file's variables that some process takes from env files ({@code used}), sorted by name:
   * for an engine where pmj.yaml's env wins over a file's (Kubernetes' env over envFrom), so one
   * file serves every process that reads it.
   */
  Set file(Path file, java.util.Set<String> used) {
    Map<String, String> values = new TreeMap<>();
    List<String> templates = new ArrayList<>();
    values(file)
        .forEach(
            (k, v) -> {
              if (!used.contains(k)) return;
              values.put(k, v.text());
              if (v.template()) templates.add(k);
            });
    return new Set(null, List.of(file), values, templates);
  }

  /**
   * The names {@code p} takes from env files whose value has an unbraced {@code $NAME} outside
   * single quotes: pmj keeps it as written, dotenv readers that substitute it (Compose) do not.
   */
  List<String> unbraced(ProcessSpec p) {
    Map<String, EnvFileValues.Value> merged = new HashMap<>();
    for (Path f : p.envFile()) merged.putAll(values(f));
    List<String> out = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(p.envFromFiles())) {
      EnvFileValues.Value v = merged.get(name);
      if (v != null && !v.literal() && UNBRACED.matcher(v.text()).find()) out.add(name);
    }
    return out;
  }

  /** Every set, in the order of the processes that first use them. */
  List<Set> all() {
    return sets;
  }

  /** The set of process {@code id}, or null when it takes nothing from env files. */
  Set of(String id) {
    return byProcess.get(id);
  }

  /**
   * The variables of {@code set} whose value is part of {@code text}: a variable written in
   * pmj.yaml that uses one ({@code postgres://app:${DB_PASSWORD}@db}) holds its value. Values
   * shorter than 4 characters are left out: {@code 1} or {@code on} is in many values without
   * coming from there.
   */
  static List<String> embedded(Set set, String text) {
    List<String> out = new ArrayList<>();
    if (set == null) return out;
    set.values()
        .forEach(
            (name, value) -> {
              if (value.length() >= 4 && text.contains(value)) out.add(name);
            });
    return out;
  }

  /**
   * The files each once, where it is read last: the global .env named again by a process is read
   * twice by pmj, and the later reading is the one that wins.
   */
  static List<Path> distinct(List<Path> files) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (files.subList(i + 1, files.size()).contains(files.get(i))) continue;
      out.add(files.get(i));
    }
    return out;
  }

  /** The env files' names as the header shows them: relative to the project's folder. */
  static String shown(Project project, List<Path> files) {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      out.add(f.startsWith(project.dir()) ? project.dir().relativize(f).toString() : f.toString());
    }
    return String.join(", ", out);
  }
}
