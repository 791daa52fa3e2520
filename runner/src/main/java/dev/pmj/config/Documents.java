package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML and JSON documents as plain Java values (maps in file order, lists, strings, numbers,
 * booleans, null), read as pmj reads its own file: anchors, aliases and merge keys resolved, with
 * its limits. For other runners' files, which pmj imports.
 */
public final class Documents {
  private Documents() {}

  /**
   * A document: its value, and every problem met reading it (syntax errors, with positions). {@code
   * duplicates} are keys given twice in one mapping (the first is kept), said apart so that an
   * importer can warn instead of failing: other tools accept such files.
   */
  public record Read(Object value, List<ConfigProblem> problems, List<ConfigProblem> duplicates) {}

  public static Read yaml(String text, String name) {
    return read(text, name, false);
  }

  public static Read json(String text, String name) {
    return read(text, name, true);
  }

  private static Read read(String text, String name, boolean json) {
    Problems problems = new Problems();
    ConfigNode root =
        json
            ? new JsonReader(name, problems).read(text)
            : new YamlReader(name, problems).read(text);
    List<ConfigProblem> errors = new ArrayList<>();
    List<ConfigProblem> duplicates = new ArrayList<>();
    for (ConfigProblem p : problems.sorted()) {
      (p.message().startsWith("duplicate key") ? duplicates : errors).add(p);
    }
    return new Read(root == null ? null : plain(root), errors, duplicates);
  }

  /** A node as a plain value: the same data without positions. */
  public static Object plain(ConfigNode node) {
    if (node instanceof MapNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Entry e : m.entries().values()) out.put(e.key(), plain(e.value()));
      return out;
    }
    if (node instanceof ListNode l) {
      List<Object> out = new ArrayList<>();
      for (ConfigNode n : l.items()) out.add(plain(n));
      return out;
    }
    Scalar s = (Scalar) node;
    // YAML 1.1 reads `restart: no` as false; the words other tools mean stay words.
    if (s.value() instanceof Boolean && !s.text().equals("true") && !s.text().equals("false")) {
      return s.text();
    }
    return s.value();
  }
}
