package dev.pmj.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pmj.yaml being written from another runner's file: its keys in the source's order, and the
 * comments that say what could not be carried over, where they belong. {@link #yaml()} renders it
 * as a commented file that pmj loads.
 */
final class Draft {
  /** One process: its keys (pmj's names), and notes written inside its entry. */
  static final class Proc {
    final String id;

    /** Where the process is in the source ("processes.web"): unsupported keys are said below it. */
    String where = "";

    final Map<String, Object> keys = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    Proc(String id) {
      this.id = id;
    }

    Proc put(String key, Object value) {
      if (value != null) keys.put(key, value);
      return this;
    }

    void note(String text) {
      notes.add(text);
    }
  }

  final List<String> header = new ArrayList<>();
  final Map<String, Object> top = new LinkedHashMap<>();
  final List<String> topNotes = new ArrayList<>();
  final List<Proc> processes = new ArrayList<>();

  /** Warnings in the order met: text, or a key that several processes share (said once). */
  private final List<Object> warnings = new ArrayList<>();

  private final Map<String, Shared> shared = new LinkedHashMap<>();

  /** The source file's name: every warning starts with it. */
  final String source;

  Draft(String source) {
    this.source = source;
  }

  /** An unsupported key and why, and the processes that have it. */
  private static final class Shared {
    final String key;
    final String why;
    final List<String> ids = new ArrayList<>();

    Shared(String key, String why) {
      this.key = key;
      this.why = why;
    }
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** The longest id pmj loads (config's limit: every line of output starts with one). */
  private static final int MAX_ID = 64;

  /**
   * A new process with a pmj id made from {@code name}: invalid characters become -, clashes get
   * -2, -3…
   */
  Proc process(String name, String where) {
    String id =
        name == null
            ? ""
            : name.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    // all and pmj are taken (pmj restart all; pmj's own lines); ids are at most MAX_ID long.
    if (id.isEmpty() || id.equals("all") || id.equals("pmj"))
      id = id.isEmpty() ? "process" : id + "-process";
    if (!ID.matcher(id).matches()) id = "process";
    if (id.length() > MAX_ID) id = id.substring(0, MAX_ID);
    String base = id;
    for (int n = 2; taken(id); n++) {
      String suffix = "-" + n;
      id = base.substring(0, Math.min(base.length(), MAX_ID - suffix.length())) + suffix;
    }
    Proc p = new Proc(id);
    p.where = where;
    if (name != null && !name.equals(id)) {
      String why =
          taken(base) && base.equals(name)
              ? "is used twice"
              : name.equals("all") || name.equals("pmj")
                  ? "is reserved in pmj"
                  : name.length() > MAX_ID
                      ? "is over " + MAX_ID + " characters"
                      : "is not a pmj id (letters, digits, _, . and -)";
      warn(where + ": \"" + name + "\" " + why + "; imported as " + id);
      p.note("was \"" + name + "\" in the source (" + why + ")");
    }
    processes.add(p);
    return p;
  }

  private boolean taken(String id) {
    for (Proc p : processes) if (p.id.equals(id)) return true;
    return false;
  }

  void warn(String text) {
    warnings.add(text);
  }

  /**
   * A key without an equivalent: a comment where it was, and a warning naming it (one warning for a
   * key that several processes share, naming them).
   */
  void unsupported(Proc p, String where, String key, Object value, String why) {
    value = Js.shown(value);
    String shown = key + ": " + Yaml.inline(value);
    if (p == null) {
      topNotes.add("not imported: " + shown + "  (" + why + ")");
      warn(where + (where.equals(source) ? ": " : ".") + key + ": " + why);
      return;
    }
    String path = where + "." + key;
    String relative = path.startsWith(p.where + ".") ? path.substring(p.where.length() + 1) : path;
    p.note(relative + ": " + Yaml.inline(value) + "  (" + why + ")");
    warn(p, relative, why);
  }

  /**
   * A warning about {@code what} in process {@code p}: said once for every process it applies to,
   * naming them.
   */
  void warn(Proc p, String what, String why) {
    String relative = what;
    Shared s = shared.get(relative + "\n" + why);
    if (s == null) {
      s = new Shared(relative, why);
      shared.put(relative + "\n" + why, s);
      warnings.add(s);
    }
    if (!s.ids.contains(p.id)) s.ids.add(p.id);
  }

  /** The warnings, each one line starting with the source's name. */
  List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (Object w : warnings) {
      String text;
      if (w instanceof Shared s) {
        String ids =
            s.ids.size() <= 3
                ? String.join(", ", s.ids)
                : String.join(", ", s.ids.subList(0, 3)) + " and " + (s.ids.size() - 3) + " more";
        text = s.key + " (" + ids + "): " + s.why;
      } else {
        text = (String) w;
      }
      out.add(text.startsWith(source) ? text : source + ": " + text);
    }
    return out;
  }

  boolean hasWarnings() {
    return !warnings.isEmpty();
  }

  /**
   * Makes the file's relative paths (cwd, env files, log files) right from another folder: {@code
   * base} is the source's folder as seen from there.
   */
  void rebase(String base) {
    if (base.isEmpty() || base.equals(".")) return;
    header.add("Paths are relative to this file's folder: the source was in " + base + ".");
    Object envFiles = top.get("envFile");
    if (envFiles instanceof List<?> l) {
      List<Object> moved = new ArrayList<>();
      for (Object o : l) moved.add(join(base, String.valueOf(o)));
      top.put("envFile", moved);
    }
    for (Proc p : processes) {
      Object cwd = p.keys.get("cwd");
      String moved = join(base, cwd == null ? "." : String.valueOf(cwd));
      if (cwd == null) {
        // cwd first: it says where everything else of the process is.
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("cwd", moved);
        keys.putAll(p.keys);
        p.keys.clear();
        p.keys.putAll(keys);
      } else {
        p.keys.put("cwd", moved);
      }
      Object log = p.keys.get("logFile");
      if (log != null) p.keys.put("logFile", join(base, String.valueOf(log)));
    }
  }

  private static String join(String base, String path) {
    if (path.startsWith("/")
        || path.startsWith("$")
        || path.startsWith("~")
        || path.matches("[A-Za-z]:[\\\\/].*")) {
      return path;
    }
    String joined =
        java.nio.file.Path.of(base).resolve(path).normalize().toString().replace('\\', '/');
    return joined.isEmpty() ? "." : joined;
  }

  /** The pmj.yaml text. */
  String yaml() {
    StringBuilder sb = new StringBuilder();
    for (String h : header) sb.append("# ").append(h).append('\n');
    sb.append("version: 1\n");
    for (Map.Entry<String, Object> e : top.entrySet()) Yaml.entry(sb, "", e.getKey(), e.getValue());
    for (String n : topNotes) sb.append("# ").append(n).append('\n');
    sb.append("processes:\n");
    if (processes.isEmpty()) sb.append("  {}\n");
    for (Proc p : processes) {
      sb.append("  ").append(Yaml.key(p.id)).append(":\n");
      for (Map.Entry<String, Object> e : p.keys.entrySet())
        Yaml.entry(sb, "    ", e.getKey(), e.getValue());
      for (String n : p.notes) sb.append("    # ").append(n).append('\n');
    }
    return sb.toString();
  }
}
