package dev.pmj.cli;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pmj config --sources}: the resolved configuration as {@code pmj config} prints it, each
 * value followed by a comment naming the file and line it was written at ({@code #
 * pmj.override.yaml:4}). A value without one is pmj's default, or made from others (the command
 * line of a script).
 */
final class SourcesView {
  private final Project project;
  private final Map<List<String>, String> origins;

  SourcesView(Project project) {
    this.project = project;
    dev.pmj.config.Layers layers = project.layers();
    this.origins = layers.origins();
  }

  /** The header line: which files were merged, in order. */
  String header(java.util.function.Function<java.nio.file.Path, String> display) {
    List<String> names = new ArrayList<>();
    for (java.nio.file.Path p : project.layers().read()) names.add(display.apply(p));
    return "# "
        + String.join(" + ", names)
        + " (merged in this order); a value without a # FILE:LINE is pmj's default\n";
  }

  /** {@code yaml} (block style, indent 2) with each key's origin after it. */
  String annotate(String yaml) {
    StringBuilder out = new StringBuilder();
    List<Integer> indents = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (String line : yaml.split("\n", -1)) {
      String key = key(line.strip());
      int indent = line.length() - line.stripLeading().length();
      if (key == null || line.isBlank()) {
        out.append(line).append('\n');
        continue;
      }
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        keys.remove(keys.size() - 1);
      }
      indents.add(indent);
      keys.add(key);
      String origin = origin(keys);
      out.append(line);
      if (origin != null) out.append("  # ").append(origin);
      out.append('\n');
    }
    String s = out.toString();
    return s.endsWith("\n\n") ? s.substring(0, s.length() - 1) : s;
  }

  /** The key a line of block YAML starts, or null (a list item, a continued scalar). */
  private static String key(String text) {
    if (text.isEmpty() || text.startsWith("- ") || text.equals("-") || text.startsWith("#"))
      return null;
    if (text.startsWith("'") || text.startsWith("\"")) {
      char q = text.charAt(0);
      int end = text.indexOf(q, 1);
      if (end < 0 || !text.startsWith(":", end + 1)) return null;
      return text.substring(1, end);
    }
    int colon = text.indexOf(": ");
    if (colon < 0 && text.endsWith(":")) colon = text.length() - 1;
    return colon <= 0 ? null : text.substring(0, colon);
  }

  /** Where the value at this resolved path was written, or null. */
  private String origin(List<String> path) {
    if (path.size() < 3 || !path.get(0).equals("processes")) return origins.get(path);
    ProcessSpec p = project.process(path.get(1));
    String name = path.get(1);
    if (p != null && p.instances() > 1) name = name.substring(0, name.lastIndexOf('.'));
    List<String> at = new ArrayList<>(path);
    at.set(1, name);
    String found = origins.get(at);
    String key = path.get(2);
    if (found != null && !key.equals("command")) return found;
    if (path.size() == 3 && key.equals("command")) {
      // The command line is made of command (or script) and args, which may come from two files.
      java.util.Set<String> from = new java.util.LinkedHashSet<>();
      if (found != null) from.add(found);
      for (String part : List.of("script", "args")) {
        at.set(2, part);
        if (origins.get(at) != null) from.add(origins.get(at));
      }
      return from.isEmpty() ? null : String.join(" + ", from);
    }
    if (path.size() == 4 && key.equals("env")) return origins.get(List.of("env", path.get(3)));
    if (path.size() == 4 && key.equals("dependsOn")) {
      String dep = path.get(3);
      int dot = dep.lastIndexOf('.');
      if (dot > 0) at.set(3, dep.substring(0, dot));
      return origins.get(at);
    }
    return null;
  }
}
