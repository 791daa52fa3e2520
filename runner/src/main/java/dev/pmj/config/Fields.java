package dev.pmj.config;

import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Variables.Where;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the keys of one mapping. A value that is missing or that the schema refused
 * (already reported by its check) gives the schema's default, so one mistake is reported once.
 * Defaults, allowed words and integer ranges come from the schema's {@link Schema.Keys}.
 */
final class Fields {
  private final MapNode node;
  private final String path;
  private final Schema.Keys keys;
  private final String file;
  private final Problems problems;

  /**
   * @param path where the mapping is in the file ("" for the top level)
   * @param keys the schema of the mapping, or null for one read without defaults or checks
   */
  Fields(MapNode node, String path, Schema.Keys keys, String file, Problems problems) {
    this.node = node;
    this.path = path;
    this.keys = keys;
    this.file = file;
    this.problems = problems;
  }

  /** A string from the file with where it was written. */
  record Located(String text, Mark mark, String path) {}

  private ConfigNode def(String key) {
    return keys == null ? null : keys.defaultOf(key);
  }

  /** Whether the key is written in the mapping. */
  boolean has(String key) {
    return node.get(key) != null;
  }

  Mark mark(String key) {
    ConfigNode v = node.get(key);
    return v == null ? node.mark() : v.mark();
  }

  String string(String key) {
    return string(key, def(key));
  }

  String string(String key, ConfigNode fallback) {
    ConfigNode v = node.get(key);
    if (v instanceof Scalar s && s.value() instanceof String str && allowed(key, str)) return str;
    return fallback instanceof Scalar s && s.value() instanceof String str ? str : null;
  }

  private boolean allowed(String key, String value) {
    if (keys == null) return true;
    List<String> words = keys.enumOf(key);
    return words.isEmpty() || words.contains(value);
  }

  /** A string value with templates resolved; null when unset or when it has a problem. */
  String templated(String key, Variables vars) {
    ConfigNode v = node.get(key);
    if (!(v instanceof Scalar s && s.value() instanceof String str)) {
      ConfigNode d = def(key);
      if (v == null && d instanceof Scalar ds && ds.value() instanceof String str2) {
        return vars.resolve(str2, new Where(file, node.mark(), path + "." + key));
      }
      return null;
    }
    return vars.resolve(str, new Where(file, s.mark(), path + "." + key));
  }

  boolean bool(String key) {
    return bool(key, def(key));
  }

  private boolean bool(String key, ConfigNode fallback) {
    ConfigNode v = node.get(key);
    if (v == null) v = fallback;
    if (v instanceof Scalar s && s.value() instanceof Boolean b) return b;
    return fallback instanceof Scalar s && s.value() instanceof Boolean b && b;
  }

  long integer(String key) {
    return integer(key, def(key));
  }

  long integer(String key, ConfigNode fallback) {
    ConfigNode v = node.get(key);
    if (v instanceof Scalar s
        && s.value() instanceof Long n
        && (keys == null || keys.accepts(key, n))) {
      return n;
    }
    return fallback instanceof Scalar s && s.value() instanceof Long n ? n : 0;
  }

  long size(String key) {
    return size(key, def(key));
  }

  /** A size in bytes; a value the schema refused (already reported) gives the fallback. */
  long size(String key, ConfigNode fallback) {
    ConfigNode v = node.get(key);
    if (v instanceof Scalar s && s.value() instanceof String str) {
      try {
        return Sizes.parse(str);
      } catch (ArithmeticException e) {
        problems.add(
            file,
            s.mark(),
            path.isEmpty() ? key : path + "." + key,
            "too large (got \"" + str + "\")");
      } catch (IllegalArgumentException e) {
        // reported by the schema
      }
    }
    return fallback instanceof Scalar s && s.value() instanceof String str ? Sizes.parse(str) : 0;
  }

  Duration duration(String key) {
    ConfigNode v = node.get(key);
    if (v instanceof Scalar s && s.value() instanceof String str) {
      try {
        return Durations.parse(str);
      } catch (IllegalArgumentException e) {
        // reported by the schema
      }
    }
    return Durations.parse((String) ((Scalar) def(key)).value());
  }

  /** A string or a list of strings, each with where it was written. */
  List<Located> stringList(String key) {
    ConfigNode v = node.get(key);
    String p = path.isEmpty() ? key : path + "." + key;
    List<Located> out = new ArrayList<>();
    if (v instanceof Scalar s && s.value() instanceof String str) {
      out.add(new Located(str, s.mark(), p));
    } else if (v instanceof ListNode list) {
      int i = 0;
      for (ConfigNode item : list.items()) {
        if (item instanceof Scalar s && s.value() instanceof String str)
          out.add(new Located(str, s.mark(), p + "[" + i + "]"));
        i++;
      }
    }
    return out;
  }

  /** {@code text} as a path against {@code base}; null after a problem, which is reported. */
  Path path(Path base, String text, Mark mark, String where) {
    try {
      return base.resolve(text).normalize();
    } catch (InvalidPathException e) {
      problems.add(
          file, mark, where, "not a valid path: " + e.getReason() + " (got \"" + text + "\")");
      return null;
    }
  }
}
