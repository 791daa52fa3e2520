package dev.pmj.convert;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small YAML writer for the exported files: block maps and lists, lists of plain values on one
 * line, strings left plain only when no YAML reader could take them for anything but that string.
 * Values are {@link Map} (written in iteration order), {@link List}, {@link String}, {@link Number}
 * and {@link Boolean}.
 */
final class YamlText {
  private YamlText() {}

  // Plain only when it starts with a letter, _ or / and has no character YAML gives a meaning to.
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
  // Durations and quantities such as 500ms, 5s, 512Mi: digits and a unit are never a number.
  private static final Pattern QUANTITY = Pattern.compile("[1-9][0-9]*(ms|s|m|h|Ki|Mi|Gi|k|g)");
  // Words YAML 1.1 readers (SnakeYAML, PyYAML, Go's yaml.v2) take for booleans or null.
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

  /** The document for {@code root}, after {@code header} (lines without their "# "). */
  static String document(List<String> header, Map<String, ?> root) {
    StringBuilder out = new StringBuilder();
    for (String line : header) out.append(comment(line)).append('\n');
    map(out, root, 0);
    return out.toString();
  }

  /** One comment line: "# " and the text on one line. */
  static String comment(String line) {
    return line.isEmpty() ? "#" : "# " + oneLine(line);
  }

  /** The text with control characters (a newline in a value, say) shown as spaces. */
  static String oneLine(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }

  private static void map(StringBuilder out, Map<String, ?> map, int indent) {
    for (Map.Entry<String, ?> e : map.entrySet()) {
      out.append(" ".repeat(indent)).append(scalar(e.getKey())).append(':');
      value(out, e.getValue(), indent);
    }
  }

  /** Writes what follows "key:" (or "- "), on this line when it is a scalar. */
  private static void value(StringBuilder out, Object v, int indent) {
    if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      out.append('\n');
      map(out, cast(m), indent + 2);
    } else if (v instanceof List<?> l && !l.isEmpty() && !allScalars(l)) {
      out.append('\n');
      for (Object item : l) {
        out.append(" ".repeat(indent + 2)).append('-');
        if (item instanceof Map<?, ?> m && !m.isEmpty()) {
          // the first key on the dash's line, the others under it
          StringBuilder nested = new StringBuilder();
          map(nested, cast(m), indent + 4);
          out.append(' ').append(nested, indent + 4, nested.length());
        } else {
          value(out, item, indent + 2);
        }
      }
    } else {
      out.append(' ').append(inline(v)).append('\n');
    }
  }

  private static boolean allScalars(List<?> l) {
    for (Object o : l) if (o instanceof Map || o instanceof List) return false;
    return true;
  }

  private static String inline(Object v) {
    if (v instanceof Map) return "{}";
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) b.append(", ");
        b.append(l.get(i) instanceof String s ? quoted(s) : inline(l.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof String s) return scalar(s);
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    throw new IllegalArgumentException("no YAML for " + v);
  }

  /** A string as a YAML scalar: plain when that reads back as the same string, else quoted. */
  static String scalar(String s) {
    boolean plain =
        (PLAIN.matcher(s).matches() || QUANTITY.matcher(s).matches())
            && !RESERVED.contains(s.toLowerCase(Locale.ROOT));
    return plain ? s : quoted(s);
  }

  /** A double-quoted YAML string (JSON's escapes, which YAML shares). */
  static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          // YAML also breaks lines at NEL and the Unicode separators: escape them with the rest
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> m) {
    return (Map<String, ?>) m;
  }
}
