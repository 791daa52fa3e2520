package dev.pmj.config;

import java.util.List;

/**
 * A loaded project, or every problem that kept it from loading; {@code warnings} say what another
 * runner's file read as pmj's could not carry over.
 */
public record LoadResult(Project project, List<ConfigProblem> problems, List<String> warnings) {
  public LoadResult(Project project, List<ConfigProblem> problems) {
    this(project, problems, List.of());
  }

  public LoadResult {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
    if ((project == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("a result is either a project or problems");
    }
  }

  public boolean ok() {
    return project != null;
  }
}
