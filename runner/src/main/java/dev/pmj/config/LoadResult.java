package dev.pmj.config;

import java.util.List;

/** A loaded project, or every problem that kept it from loading. */
public record LoadResult(Project project, List<ConfigProblem> problems) {
  public LoadResult {
    problems = List.copyOf(problems);
    if ((project == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("a result is either a project or problems");
    }
  }

  public boolean ok() {
    return project != null;
  }
}
