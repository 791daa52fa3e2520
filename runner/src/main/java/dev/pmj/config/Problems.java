package dev.pmj.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects every problem found while loading, so that all are reported together. */
final class Problems {
  private final Set<ConfigProblem> problems = new LinkedHashSet<>();

  void add(String file, Mark mark, String path, String message) {
    problems.add(new ConfigProblem(file, mark, path, message));
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
