package dev.pmj.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while loading, so that all are reported together, and the warnings:
 * what loads but is likely not what was meant.
 */
final class Problems {
  private final Set<ConfigProblem> problems = new LinkedHashSet<>();
  private final Set<ConfigProblem> warnings = new LinkedHashSet<>();

  void warn(String file, Mark mark, String path, String message) {
    warnings.add(new ConfigProblem(fileOf(file, mark), mark, path, message));
  }

  /** The warnings, each as one line, in the file's order. */
  List<String> warnings() {
    List<ConfigProblem> list = new ArrayList<>(warnings);
    Collections.sort(list);
    return list.stream().map(ConfigProblem::format).toList();
  }

  void add(String file, Mark mark, String path, String message) {
    problems.add(new ConfigProblem(fileOf(file, mark), mark, path, message));
  }

  /** The file that holds the value: a merged value's own file, else the load's. */
  private static String fileOf(String file, Mark mark) {
    return mark != null && mark.file() != null ? mark.file() : file;
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  int size() {
    return problems.size();
  }

  List<ConfigProblem> sorted() {
    List<ConfigProblem> list = new ArrayList<>(problems);
    Collections.sort(list);
    return list;
  }
}
