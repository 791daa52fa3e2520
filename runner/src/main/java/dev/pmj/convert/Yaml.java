package dev.pmj.convert;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML text for imported files: block mappings, short lists in flow style, strings quoted only when
 * they must be. Its rule for a plain string is looser than {@link YamlText}'s on purpose: this text
 * is read by pmj, whose loader keeps a plain scalar's text ({@code TIME: 12:30} stays "12:30",
 * {@code command: echo hi} needs no quotes), while the exported files are read by YAML 1.1 readers
 * that would take {@code 12:30} for 750. The quoting itself is {@link YamlText#quoted}, shared.
 */
final class Yaml {
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z0-9_./@+%=~^-][A-Za-z0-9_./@+%=~^ :-]*");
  private static final Pattern WORDS =
      Pattern.compile(
          "(?i)(true|false|yes|no|on|off|y|n|null|~)|[-+]?([0-9][0-9_]*)?(\\.[0-9]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o?[0-7]+|[-+]?\\.(inf|nan)");

  private Yaml() {}

  static void entry(StringBuilder sb, String indent, String key, Object value) {
    sb.append(indent).append(key(key)).append(':');
    if (value instanceof Map<?, ?> m && !m.isEmpty()) {
      sb.append('\n');
      for (Map.Entry<?, ?> e : m.entrySet())
        entry(sb, indent + "  ", String.valueOf(e.getKey()), e.getValue());
    } else if (value instanceof List<?> l && !l.isEmpty() && !flow(l)) {
      sb.append('\n');
      for (Object o : l) sb.append(indent).append("  - ").append(inline(o)).append('\n');
    } else {
      sb.append(' ').append(inline(value)).append('\n');
    }
  }

  private static boolean flow(List<?> l) {
    int length = 0;
    for (Object o : l) {
      if (o instanceof Map || o instanceof List) return false;
      length += inline(o).length() + 2;
    }
    return length <= 70;
  }

  /** A key: plain when it can be. */
  static String key(String k) {
    return plain(k) ? k : quote(k);
  }

  /** A value on one line. */
  static String inline(Object v) {
    if (v == null) return "null";
    if (v instanceof Boolean || v instanceof Long || v instanceof Integer) return v.toString();
    if (v instanceof Double d)
      return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(", ");
        sb.append(inline(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (i++ > 0) sb.append(", ");
        sb.append(key(String.valueOf(e.getKey()))).append(": ").append(inline(e.getValue()));
      }
      return sb.append('}').toString();
    }
    String s = v.toString();
    return plain(s) ? s : quote(s);
  }

  private static boolean plain(String s) {
    return !s.isEmpty()
        && PLAIN.matcher(s).matches()
        && !WORDS.matcher(s).matches()
        && !s.endsWith(" ")
        && !s.endsWith(":")
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.equals("-")
        && !s.startsWith("- ")
        && !s.startsWith("---")
        && !s.startsWith("%")
        && !s.startsWith("@");
  }

  /** A double-quoted YAML string (its escapes are JSON's). */
  static String quote(String s) {
    return YamlText.quoted(s);
  }
}
