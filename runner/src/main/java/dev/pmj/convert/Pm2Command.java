package dev.pmj.convert;

import dev.pmj.config.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a PM2 app runs: its script (script, exec, cmd or command), args, interpreter and interpreter
 * arguments, and the name PM2 gives an app without one. PM2 picks an interpreter by the script's
 * extension, runs a script with a space through bash -c, and a name it finds on the PATH as a
 * program; pmj writes the same choice out as script and interpreter, or as a command.
 */
final class Pm2Command {
  private static final Map<String, String> INTERPRETERS =
      Map.of(
          ".sh", "bash", ".py", "python", ".rb", "ruby", ".php", "php", ".pl", "perl", ".js",
          "node", ".coffee", "coffee", ".ls", "lsc", ".ts", "bun", ".tsx", "bun");

  private Pm2Command() {}

  /** The app's script, as a path from its cwd; null when it has none. */
  static String script(Draft d, String where, Map<String, Object> app) {
    Object scriptValue = first(app, "script", "exec", "cmd", "command");
    String script = scriptValue == null ? null : Js.plain(d, where + ".script", scriptValue);
    if (script != null && script.isBlank()) script = null;
    Object cwdValue = app.get("cwd");
    if (scriptValue instanceof JsLiteral.RelativePath && cwdValue != null) {
      // A path from the file's folder, where pmj looks for a script in the app's cwd.
      String c = Js.path(d, where + ".cwd", cwdValue);
      if (Pm2.relative(c) && Pm2.relative(script)) {
        script =
            Path.of(c)
                .normalize()
                .relativize(Path.of(script).normalize())
                .toString()
                .replace('\\', '/');
      }
    }
    return script;
  }

  /** The app's name: its name, else its key in an apps mapping, else PM2's name for the script. */
  static String name(Draft d, String where, String key, Map<String, Object> app, String script) {
    String name = app.get("name") == null ? null : Js.plain(d, where + ".name", app.get("name"));
    if (name == null && !key.isEmpty()) name = key;
    boolean viaShell = script != null && script.indexOf(' ') >= 0;
    if (name == null && script != null) {
      // PM2: a script with a space is run by bash -c and named after the whole line; else its file
      // name without extension.
      name = viaShell ? script : baseName(script);
    }
    return name;
  }

  /** Writes what {@code p} runs: script, interpreter and args, or a command. */
  static void command(
      Draft d, Draft.Proc p, String where, Map<String, Object> app, String script, Path dir) {
    boolean viaShell = script != null && script.indexOf(' ') >= 0;
    if (script == null) {
      d.warn(where + ": no script; PM2 refuses such an app, and pmj needs a command");
      p.put("command", "false");
      p.note("no script in the source: give this process a command");
    }

    String interpreter = str(d, where, app, "interpreter", "exec_interpreter");
    if (interpreter != null && interpreter.isBlank()) interpreter = null;
    // node_args is PM2's own name; interpreter_args and interpreterArgs are its aliases.
    String argsKey = null;
    for (String k : List.of("node_args", "interpreter_args", "interpreterArgs")) {
      if (app.get(k) == null) continue;
      if (argsKey == null) argsKey = k;
      else d.unsupported(p, where, k, app.get(k), "PM2 uses " + argsKey + " when both are given");
    }
    List<String> interpreterArgs =
        argsKey == null ? new ArrayList<>() : list(d, where + "." + argsKey, app.get(argsKey));
    List<String> args = list(d, where + ".args", app.get("args"));
    if (script != null && viaShell) {
      // PM2 runs such a script as bash -c SCRIPT and passes no other arguments.
      p.put("command", List.of("bash", "-c", Templates.literal(script)));
      if (!args.isEmpty()) {
        d.warn(
            where
                + ".args: PM2 runs a script with spaces through bash -c and drops args; so does pmj");
        p.note(
            "args: "
                + Yaml.inline(args)
                + "  (dropped, as PM2 drops them for a script with spaces)");
      }
    } else if (script != null) {
      String ext = extension(script);
      String chosen = interpreter != null ? interpreter : INTERPRETERS.get(ext);
      if (chosen != null && chosen.contains("@")) {
        d.unsupported(
            p,
            where,
            "interpreter",
            chosen,
            "PM2 picks a Node version through nvm; pmj runs the program named");
        chosen = chosen.substring(0, chosen.indexOf('@'));
      }
      boolean onPath = false;
      if (chosen == null) {
        chosen = guessInterpreter(d, p, where, dir, app.get("cwd"), script);
        onPath =
            chosen == null
                && !pathLike(script)
                && !existsFrom(dir, app.get("cwd"), d, where, script);
      }
      if ("none".equals(chosen) && !interpreterArgs.isEmpty()) {
        d.unsupported(
            p,
            where,
            argsKey,
            app.get(argsKey),
            "PM2 passes no interpreter arguments with interpreter: none");
        interpreterArgs = List.of();
      }
      if (onPath) {
        // A program PM2 finds on the PATH (npm, python3): pmj runs it as a command.
        List<String> argv = new ArrayList<>();
        argv.add(Templates.literal(script));
        argv.addAll(args);
        p.put("command", argv);
        args = List.of();
      } else if (!interpreterArgs.isEmpty()) {
        // pmj has no interpreter arguments of its own: the command spells them out.
        List<String> argv = new ArrayList<>();
        argv.add(Templates.literal(chosen == null ? "node" : chosen));
        argv.addAll(interpreterArgs);
        argv.add(Templates.literal(script));
        if ("none".equals(chosen)) argv.remove(0);
        p.put("command", argv);
      } else {
        p.put("script", script);
        if (interpreter != null || (chosen != null && !Set.of(".js", ".py").contains(ext))) {
          p.put("interpreter", chosen);
        }
      }
      if (!args.isEmpty()) p.put("args", args);
    }
  }

  /**
   * PM2's interpreter for a script with no extension it knows: node, unless the file is a binary. A
   * program with a #! line runs as itself (PM2 would hand it to node, which is rarely meant); a
   * name found on the PATH (npm, python3) runs as a program.
   */
  private static String guessInterpreter(
      Draft d, Draft.Proc p, String where, Path dir, Object cwd, String script) {
    String c = cwd == null ? "." : Js.plain(d, where + ".cwd", cwd);
    boolean pathLike = pathLike(script);
    if (dir == null || c == null || c.contains("$")) return pathLike ? "node" : null;
    Path file = dir.resolve(c).resolve(script);
    if (Files.isDirectory(file)) return "node"; // node runs the folder's index.js
    if (!Files.isRegularFile(file)) {
      if (!pathLike) return null;
      p.note(
          "PM2 runs "
              + script
              + " with node unless it is a binary; it is not here to tell, so node");
      return "node";
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(512);
      if (head.length >= 2 && head[0] == '#' && head[1] == '!') return null;
      for (byte b : head) if (b == 0) return null; // a binary
      return "node";
    } catch (IOException e) {
      return "node";
    }
  }

  private static boolean pathLike(String script) {
    return script.contains("/") || script.contains("\\") || script.startsWith(".");
  }

  private static boolean existsFrom(Path dir, Object cwd, Draft d, String where, String script) {
    if (dir == null) return true;
    String c = cwd == null ? "." : Js.plain(d, where + ".cwd", cwd);
    if (c == null || c.contains("$")) return true;
    return Files.exists(dir.resolve(c).resolve(script));
  }

  private static Object first(Map<String, Object> app, String... keys) {
    for (String k : keys) if (app.get(k) != null) return app.get(k);
    return null;
  }

  private static String str(Draft d, String where, Map<String, Object> app, String... keys) {
    Object v = first(app, keys);
    return v == null ? null : Js.plain(d, where + "." + keys[0], v);
  }

  /** args and interpreter_args: a list, or a string split as a shell splits words. */
  private static List<String> list(Draft d, String where, Object v) {
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof List<?> l) {
      for (Object o : l) if (o != null) out.add(Js.text(d, where, o, true));
      return out;
    }
    String s = Js.text(d, where, v, true);
    if (s == null || s.isBlank()) return out;
    try {
      out.addAll(Words.split(s));
    } catch (Words.UnclosedQuote e) {
      d.warn(where + ": unclosed quote; split on spaces");
      for (String w : s.trim().split("\\s+")) out.add(w);
    }
    return out;
  }

  private static String baseName(String script) {
    String base = script.replaceAll("[/\\\\]+$", "");
    base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  private static String extension(String script) {
    String file = script.substring(Math.max(script.lastIndexOf('/'), script.lastIndexOf('\\')) + 1);
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(dot).toLowerCase(Locale.ROOT) : "";
  }
}
