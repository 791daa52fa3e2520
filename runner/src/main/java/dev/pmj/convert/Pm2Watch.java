package dev.pmj.convert;

import java.util.ArrayList;
import java.util.List;

/**
 * A PM2 app's file watching: watch (true, or the paths), ignore_watch and watch_delay, as pmj's
 * devMode, watchPaths, watchIgnore and debounce.
 */
final class Pm2Watch {
  private Pm2Watch() {}

  /** One of the keys above, {@code k}, with its value {@code v}. */
  static void key(Draft d, Draft.Proc p, String where, String k, Object v) {
    String at = where + "." + k;
    switch (k) {
      case "watch" -> watch(d, p, at, v);
      case "ignore_watch" -> ignoreWatch(d, p, where, v);
      case "watch_delay" -> {
        Long ms = Values.number(Js.value(d, at, v));
        if (ms != null && ms >= 0) p.put("debounce", Values.millis(ms));
        else d.unsupported(p, where, k, v, "not a number of milliseconds");
      }
      default -> throw new IllegalArgumentException("not a watch key: " + k);
    }
  }

  private static void watch(Draft d, Draft.Proc p, String at, Object v) {
    Object value = v instanceof List ? v : Js.value(d, at, v);
    if (Boolean.TRUE.equals(value)) {
      p.put("devMode", true);
    } else if (value instanceof String || value instanceof List) {
      p.put("devMode", true);
      List<String> paths = new ArrayList<>();
      for (Object o : Values.list(value)) paths.add(Js.path(d, at, o));
      p.put("watchPaths", paths);
    }
  }

  private static void ignoreWatch(Draft d, Draft.Proc p, String where, Object v) {
    List<String> globs = new ArrayList<>();
    List<String> regexes = new ArrayList<>();
    for (Object o : Values.list(v)) {
      String s = Js.plain(d, where + ".ignore_watch", o);
      if (s == null) continue;
      // PM2 (chokidar) takes globs and regular expressions; a pattern with regex syntax has no
      // .gitignore equivalent.
      if (s.contains("\\")
          || s.startsWith("^")
          || s.endsWith("$")
          || s.contains("(")
          || s.contains("|")
          || s.contains("+")) regexes.add(s);
      else globs.add(s.startsWith("./") ? s.substring(2) : s);
    }
    if (!globs.isEmpty()) p.put("watchIgnore", globs);
    if (!regexes.isEmpty())
      d.unsupported(
          p,
          where,
          "ignore_watch",
          regexes,
          "regular expressions: pmj's watchIgnore takes .gitignore patterns; write these as patterns");
  }
}
