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
 * Files merged over one another as docker compose merges its override files: mappings merge key by
 * key, scalars and lists replace, and a key set to null in the later file is removed. Every value
 * keeps the position, and the file, it was written at, so that a problem with it points there.
 */
final class Merge {
  private Merge() {}

  /** {@code node} with every position saying it is in {@code file}. */
  static ConfigNode tag(ConfigNode node, String file) {
    if (node instanceof MapNode m) {
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Entry e : m.entries().values()) {
        entries.put(e.key(), new Entry(e.key(), tag(e.keyMark(), file), tag(e.value(), file)));
      }
      return new MapNode(tag(m.mark(), file), entries);
    }
    if (node instanceof ListNode l) {
      List<ConfigNode> items = new ArrayList<>();
      for (ConfigNode n : l.items()) items.add(tag(n, file));
      return new ListNode(tag(l.mark(), file), items);
    }
    Scalar s = (Scalar) node;
    return new Scalar(tag(s.mark(), file), s.value(), s.text());
  }

  private static Mark tag(Mark mark, String file) {
    return mark == null ? null : new Mark(mark.line(), mark.column(), file);
  }

  /** {@code over} merged over {@code base}. */
  static MapNode over(MapNode base, MapNode over) {
    Map<String, Entry> entries = new LinkedHashMap<>(base.entries());
    for (Entry e : over.entries().values()) {
      Entry below = entries.get(e.key());
      if (e.value() instanceof Scalar s && s.value() == null) {
        entries.remove(e.key());
      } else if (below != null
          && below.value() instanceof MapNode b
          && e.value() instanceof MapNode o) {
        entries.put(e.key(), new Entry(e.key(), below.keyMark(), over(b, o)));
      } else {
        entries.put(e.key(), e);
      }
    }
    return new MapNode(base.mark(), entries);
  }

  /**
   * Where each value of {@code root} was written, as {@code FILE:LINE}, by its key path ({@code
   * [processes, web, port]}); {@code first} names the file whose positions carry no file.
   */
  static Map<List<String>, String> origins(MapNode root, String first) {
    Map<List<String>, String> out = new LinkedHashMap<>();
    walk(root, new ArrayList<>(), first, out);
    return out;
  }

  private static void walk(
      MapNode map, List<String> path, String first, Map<List<String>, String> out) {
    for (Entry e : map.entries().values()) {
      path.add(e.key());
      // A mapping's keys each say where they were written; the mapping itself is in several files.
      if (e.value() instanceof MapNode child) {
        walk(child, path, first, out);
      } else {
        Mark m = e.value().mark() != null ? e.value().mark() : e.keyMark();
        if (m != null) {
          out.put(List.copyOf(path), (m.file() == null ? first : m.file()) + ":" + m.line());
        }
      }
      path.remove(path.size() - 1);
    }
  }
}
