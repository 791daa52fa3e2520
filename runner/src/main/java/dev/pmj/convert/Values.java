package dev.pmj.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the plain values of a parsed file (maps, lists, strings, numbers) without surprises. */
final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), x));
      return out;
    }
    return new LinkedHashMap<>();
  }

  static List<Object> list(Object v) {
    if (v instanceof List<?> l) return new ArrayList<>(l);
    return v == null ? new ArrayList<>() : new ArrayList<>(List.of(v));
  }

  /** A list of strings: a list's items as text, or one string alone. */
  static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    for (Object o : list(v)) if (o != null) out.add(string(o));
    return out;
  }

  /** A scalar as text: 8080 as "8080", 1.5 as "1.5". */
  static String string(Object v) {
    if (v == null) return null;
    if (v instanceof Double d && d == Math.rint(d)) return Long.toString(d.longValue());
    return String.valueOf(v);
  }

  /** A whole number from a number or a numeric string, else null. */
  static Long number(Object v) {
    if (v instanceof Long l) return l;
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Double d && d == Math.rint(d)) return d.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** A number of milliseconds as a pmj duration in its largest exact unit: 3000 as 3s. */
  static String millis(long ms) {
    if (ms > 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
    if (ms > 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms > 0 && ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
