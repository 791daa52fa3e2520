package dev.pmj.convert;

import dev.pmj.config.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PM2 ecosystem file, as PM2 reads it: the apps are {@code apps}, else {@code pm2}, else the file
 * itself (one object is one app; an {@code apps} mapping names its apps by key). Each app's keys
 * map onto pmj's; PM2's defaults that differ from pmj's are written out (SIGINT to stop, an app
 * named after its script); the rest is a comment and a warning.
 */
final class Pm2 {
  private static final Map<String, String> INTERPRETERS =
      Map.of(
          ".sh", "bash", ".py", "python", ".rb", "ruby", ".php", "php", ".pl", "perl", ".js",
          "node", ".coffee", "coffee", ".ls", "lsc", ".ts", "bun", ".tsx", "bun");
  private static final Pattern MEMORY = Pattern.compile("(?i)([0-9]+)\\s*([KMG]?)B?");
  private static final Pattern UPTIME = Pattern.compile("([0-9]+)(h|m|s)?");
  private static final Set<String> APP_KEYS =
      Set.of("script", "name", "cmd", "command", "exec", "args", "cwd", "env", "instances");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Pm2() {}

  /**
   * @param name the file's name, for messages
   * @param doc the file's value: maps, lists, scalars and {@link JsLiteral}'s expressions
   * @param envName the {@code --env} chosen, or null
   * @param cpus the CPU count that {@code instances: max} stands for
   */
  static Draft read(String name, Object doc, String envName, int cpus, Path dir) {
    Draft d = new Draft(name);
    if (dir != null && Files.isRegularFile(dir.resolve(".env"))) {
      // PM2 reads no .env; pmj would by default.
      d.top.put("envFile", List.of());
      d.topNotes.add("envFile: [] because PM2 does not read the .env beside this file");
    }
    d.header.add(
        "Imported from "
            + name
            + " (a PM2 ecosystem file) by pmj import"
            + (envName == null ? "." : " --env " + envName + "."));
    d.header.add(
        "PM2 stops apps with SIGINT: so does every process here. The comments say what differs.");
    List<Map.Entry<String, Object>> apps = new ArrayList<>();
    Map<String, Object> deploy = Map.of();
    if (doc instanceof Map<?, ?> m0) {
      Map<String, Object> top = Values.map(m0);
      Object list = top.containsKey("apps") ? top.get("apps") : top.get("pm2");
      if (list == null) {
        apps.add(Map.entry("", top));
      } else {
        if (list instanceof Map<?, ?> named && !looksLikeApp(Values.map(named))) {
          for (Map.Entry<String, Object> e : Values.map(named).entrySet())
            apps.add(Map.entry(e.getKey(), e.getValue()));
        } else {
          for (Object app : Values.list(list)) apps.add(Map.entry("", app));
        }
        for (Map.Entry<String, Object> e : top.entrySet()) {
          switch (e.getKey()) {
            case "apps", "pm2" -> {}
            case "deploy" -> {
              deploy = Values.map(e.getValue());
              d.unsupported(
                  null,
                  name,
                  "deploy",
                  keysOf(e.getValue()),
                  "pmj runs processes here; it does not deploy them (pmj export turns them into systemd units, Compose or Kubernetes)");
            }
            case "env" ->
                d.unsupported(
                    null,
                    name,
                    "env",
                    e.getValue(),
                    "PM2 reads env inside each app, never at the top: PM2 ignores it too");
            default ->
                d.unsupported(
                    null,
                    name,
                    e.getKey(),
                    e.getValue(),
                    "PM2 reads only apps (and deploy) at the top of the file");
          }
        }
      }
    } else if (doc instanceof List<?> l) {
      for (Object app : l) apps.add(Map.entry("", app));
    } else {
      d.warn(name + ": neither an object nor a list of apps; no process found");
    }
    int index = 0;
    for (Map.Entry<String, Object> e : apps) {
      String where = name + ": apps[" + index++ + "]";
      if (!(e.getValue() instanceof Map<?, ?> m)) {
        d.warn(where + ": not an object; skipped");
        continue;
      }
      app(d, where, e.getKey(), Values.map(m), envName, deploy, cpus, dir);
    }
    if (d.processes.isEmpty()) d.warn(name + ": no app found");
    return d;
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

  private static boolean relative(String path) {
    return !path.startsWith("/")
        && !path.startsWith("$")
        && !path.startsWith("~")
        && !path.matches("[A-Za-z]:.*");
  }

  private static boolean looksLikeApp(Map<String, Object> m) {
    for (String k : m.keySet()) if (APP_KEYS.contains(k)) return true;
    return false;
  }

  private static Object keysOf(Object v) {
    return v instanceof Map<?, ?> m ? new ArrayList<>(Values.map(m).keySet()) : v;
  }

  private static void app(
      Draft d,
      String where,
      String key,
      Map<String, Object> app,
      String envName,
      Map<String, Object> deploy,
      int cpus,
      Path dir) {
    Object scriptValue = first(app, "script", "exec", "cmd", "command");
    String script = scriptValue == null ? null : Js.plain(d, where + ".script", scriptValue);
    if (script != null && script.isBlank()) script = null;
    Object cwdValue = app.get("cwd");
    if (scriptValue instanceof JsLiteral.RelativePath && cwdValue != null) {
      // A path from the file's folder, where pmj looks for a script in the app's cwd.
      String c = Js.path(d, where + ".cwd", cwdValue);
      if (relative(c) && relative(script)) {
        script =
            Path.of(c)
                .normalize()
                .relativize(Path.of(script).normalize())
                .toString()
                .replace('\\', '/');
      }
    }
    String name = app.get("name") == null ? null : Js.plain(d, where + ".name", app.get("name"));
    if (name == null && !key.isEmpty()) name = key;
    boolean viaShell = script != null && script.indexOf(' ') >= 0;
    if (name == null && script != null) {
      // PM2: a script with a space is run by bash -c and named after the whole line; else its file
      // name without extension.
      name = viaShell ? script : baseName(script);
    }
    Draft.Proc p = d.process(name, where + ".name");
    where = where + " (" + p.id + ")";
    p.where = where;
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

    boolean envDone = false;
    for (Map.Entry<String, Object> e : app.entrySet()) {
      String k = e.getKey();
      if (!envDone && (k.equals("env") || k.equals("env_" + envName))) {
        env(d, p, where, app, envName, deploy);
        envDone = true;
      }
      Object v = e.getValue();
      String at = where + "." + k;
      switch (k) {
        case "name",
            "script",
            "exec",
            "cmd",
            "command",
            "args",
            "interpreter",
            "exec_interpreter",
            "interpreter_args",
            "node_args",
            "interpreterArgs",
            "env",
            "exec_mode" -> {}
        case "cwd" -> p.put("cwd", Js.path(d, at, v));
        case "instances" -> instances(d, p, at, v, cpus, app.get("exec_mode"));
        case "autorestart" -> {
          if (Boolean.FALSE.equals(Js.value(d, at, v))) p.put("restart", "never");
        }
        case "autostart" -> {
          if (Boolean.FALSE.equals(Js.value(d, at, v))) p.put("autostart", false);
        }
        case "max_restarts" -> {
          Long n = Values.number(Js.value(d, at, v));
          if (n != null && n >= 0) p.put("maxRetries", n);
          else d.unsupported(p, where, k, v, "not a number of restarts");
        }
        case "restart_delay" -> {
          Long ms = Values.number(Js.value(d, at, v));
          if (ms == null || ms < 0) {
            d.unsupported(p, where, k, v, "not a number of milliseconds");
          } else if (ms == 0) {
            d.unsupported(
                p,
                where,
                k,
                v,
                "no delay: pmj keeps its backoff (1s, doubling) so that a crashing process cannot restart in a loop");
          } else {
            // PM2 waits the same delay before every restart: pmj's backoff, kept from doubling.
            p.put("backoff", Values.millis(ms));
            p.put("backoffMax", Values.millis(ms));
          }
        }
        case "exp_backoff_restart_delay" -> {
          Long ms = Values.number(Js.value(d, at, v));
          if (ms == null || ms <= 0) {
            d.unsupported(p, where, k, v, "not a number of milliseconds");
          } else if (!app.containsKey("restart_delay")) {
            p.put("backoff", Values.millis(ms));
            p.put("backoffMax", "15s");
          }
        }
        case "kill_timeout" -> {
          Long ms = Values.number(Js.value(d, at, v));
          if (ms != null && ms >= 0) p.put("stopTimeout", Values.millis(ms));
          else d.unsupported(p, where, k, v, "not a number of milliseconds");
        }
        case "min_uptime" -> {
          String t = Values.string(Js.value(d, at, v));
          Matcher m = t == null ? null : UPTIME.matcher(t.strip());
          if (m != null && m.matches())
            p.put("healthyAfter", m.group(1) + (m.group(2) == null ? "ms" : m.group(2)));
          else d.unsupported(p, where, k, v, "PM2 takes milliseconds or a number with h, m or s");
        }
        case "max_memory_restart" -> {
          String t = Values.string(Js.value(d, at, v));
          Matcher m = t == null ? null : MEMORY.matcher(t.strip());
          if (m != null && m.matches())
            p.put(
                "maxMemory",
                m.group(1)
                    + (m.group(2).isEmpty() ? "B" : m.group(2).toUpperCase(Locale.ROOT) + "B"));
          else d.unsupported(p, where, k, v, "PM2 takes bytes or a number with K, M or G");
        }
        case "watch" -> watch(d, p, at, v);
        case "ignore_watch" -> ignoreWatch(d, p, where, v);
        case "watch_delay" -> {
          Long ms = Values.number(Js.value(d, at, v));
          if (ms != null && ms >= 0) p.put("debounce", Values.millis(ms));
          else d.unsupported(p, where, k, v, "not a number of milliseconds");
        }
        case "out_file",
            "error_file",
            "log_file",
            "out",
            "output",
            "out_log",
            "error",
            "err",
            "err_file",
            "err_log",
            "log" ->
            logFile(d, p, where, app, k, v);
        case "port" -> {
          String port = Values.string(Js.value(d, at, v));
          Map<String, Object> env = env(p);
          env.put("PORT", port);
        }
        case "time" -> {
          if (Boolean.TRUE.equals(Js.value(d, at, v)))
            d.unsupported(p, where, k, v, "pmj up --timestamps puts the time before every line");
        }
        case "wait_ready" ->
            d.unsupported(
                p,
                where,
                k,
                v,
                "pmj has no process.send('ready'); a readiness check (http, tcp, exec, logLine) says when a process is ready");
        case "listen_timeout" ->
            d.unsupported(
                p,
                where,
                k,
                v,
                "it belongs with wait_ready; a readiness check has its own interval and timeout");
        case "increment_var", "instance_var" ->
            d.unsupported(p, where, k, v, "pmj gives each instance PMJ_INSTANCE (1 to N)");
        case "merge_logs", "combine_logs" ->
            d.unsupported(p, where, k, v, "the instances of a process share its logFile in pmj");
        case "namespace" -> d.unsupported(p, where, k, v, "pmj has no namespaces");
        case "cron_restart", "cron" ->
            d.unsupported(p, where, k, v, "pmj has no scheduled restarts");
        case "stop_exit_codes" ->
            d.unsupported(
                p, where, k, v, "pmj's restart: on-failure treats only exit code 0 as success");
        case "watch_options" ->
            d.unsupported(
                p, where, k, v, "pmj watches with its own settings (debounce, watchIgnore)");
        default -> {
          if (k.startsWith("env_")) {
            if (!k.substring(4).equals(envName))
              d.unsupported(p, where, k, v, "used with pmj import --env " + k.substring(4));
          } else {
            d.unsupported(p, where, k, v, "pmj has no such setting");
          }
        }
      }
    }
    Object mode = app.get("exec_mode");
    if (mode != null) {
      String m = Values.string(Js.value(d, where + ".exec_mode", mode));
      if (m != null && m.startsWith("cluster")) {
        d.unsupported(
            p,
            where,
            "exec_mode",
            mode,
            p.keys.containsKey("instances")
                ? "pmj runs each instance as its own process, as fork mode does: they cannot share one port (give each its own, from PMJ_INSTANCE)"
                : "one instance: pmj runs it as fork mode does");
      } else if (m == null || !m.startsWith("fork")) {
        d.unsupported(p, where, "exec_mode", mode, "PM2 takes fork or cluster");
      }
    }
    if (!envDone) env(d, p, where, app, envName, deploy);
    // PM2 resolves log files against the app's cwd; pmj against the file's folder.
    Object log = p.keys.get("logFile");
    Object cwd = p.keys.get("cwd");
    if (log instanceof String l && cwd instanceof String c && relative(l) && !c.startsWith("$")) {
      p.keys.put("logFile", Path.of(c).resolve(l).normalize().toString().replace('\\', '/'));
    }
    if (!"never".equals(p.keys.get("restart"))) {
      // PM2 counts a restart as a failure only when the app ran less than min_uptime (1s), and
      // gives up after max_restarts (16) of them.
      if (!app.containsKey("min_uptime")) p.put("healthyAfter", "1s");
      if (!app.containsKey("max_restarts")) p.put("maxRetries", 16);
    }
    Object instances = p.keys.get("instances");
    if (instances != null || app.containsKey("instance_var")) {
      d.warn(
          p,
          "instances",
          "PM2 numbers instances in NODE_APP_INSTANCE from 0; pmj in PMJ_INSTANCE from 1");
    }
    p.put("stopSignal", "INT");
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

  private static void instances(Draft d, Draft.Proc p, String at, Object v, int cpus, Object mode) {
    Object value = Js.value(d, at, v);
    String text = Values.string(value);
    long n;
    if ("max".equals(text)) {
      n = 0;
    } else {
      Long parsed = Values.number(value);
      if (parsed == null && text != null) {
        Matcher m = Pattern.compile("^[0-9]+").matcher(text.strip());
        parsed = m.find() ? Long.parseLong(m.group()) : 0L;
      }
      n = parsed == null ? 1 : parsed;
    }
    if (n <= 0) {
      long chosen = Math.max(1, cpus + n);
      d.warn(
          at
              + ": "
              + Yaml.inline(value)
              + " means one per CPU"
              + (n < 0 ? " less " + (-n) : "")
              + " to PM2; imported as "
              + chosen
              + ", for the "
              + cpus
              + " CPUs here");
      p.note(
          "instances: "
              + Yaml.inline(value)
              + " in the source (CPUs"
              + (n < 0 ? " " + n : "")
              + "; "
              + cpus
              + " here)");
      n = chosen;
    }
    if (n > 64) {
      d.warn(at + ": " + n + " instances; pmj runs at most 64");
      n = 64;
    }
    if (n > 1) p.put("instances", n);
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

  private static final List<String> LOG_KEYS =
      List.of(
          "log_file",
          "log",
          "out_file",
          "out",
          "output",
          "out_log",
          "error_file",
          "error",
          "err",
          "err_file",
          "err_log");

  /**
   * PM2's out_file, error_file and log_file: pmj writes both streams to one logFile, the combined
   * log if there is one, else stdout's, else stderr's; another file is a comment.
   */
  private static void logFile(
      Draft d, Draft.Proc p, String where, Map<String, Object> app, String k, Object v) {
    Object value = Js.value(d, where + "." + k, v);
    if (value instanceof Boolean b) {
      if (b) {
        d.unsupported(
            p, where, k, v, "PM2's default log path; pmj writes a file only where logFile says");
      }
      return;
    }
    String path = Js.path(d, where + "." + k, v);
    if (path == null) return;
    if (path.equals("/dev/null") || path.equals("NULL"))
      return; // pmj writes no file unless told: the same
    String target = null;
    for (String key : LOG_KEYS) {
      Object o = app.get(key);
      if (o != null && !(o instanceof Boolean) && !"/dev/null".equals(o) && !"NULL".equals(o)) {
        target = key;
        break;
      }
    }
    if (k.equals(target)) {
      p.put("logFile", path);
    } else if (!path.equals(p.keys.get("logFile"))
        && !path.equals(Js.text(d, where, app.get(target), true))) {
      d.unsupported(p, where, k, path, "pmj writes stdout and stderr to one file, logFile");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Draft.Proc p) {
    Object env = p.keys.get("env");
    if (env instanceof Map<?, ?>) return (Map<String, Object>) env;
    Map<String, Object> m = new LinkedHashMap<>();
    p.keys.put("env", m);
    return m;
  }

  private static void env(
      Draft d,
      Draft.Proc p,
      String where,
      Map<String, Object> app,
      String envName,
      Map<String, Object> deploy) {
    Map<String, Object> merged = new LinkedHashMap<>();
    if (envName != null) {
      Object deployEnv = Values.map(deploy.get(envName)).get("env");
      if (deployEnv != null)
        merged.putAll(envOf(d, where + ".deploy." + envName + ".env", deployEnv));
    }
    if (app.get("env") != null) merged.putAll(envOf(d, where + ".env", app.get("env")));
    if (envName != null) {
      Object chosen = app.get("env_" + envName);
      if (chosen != null) merged.putAll(envOf(d, where + ".env_" + envName, chosen));
      else
        d.warn(
            where
                + ": no env_"
                + envName
                + " (--env "
                + envName
                + "); its env alone is used, as PM2 does");
    }
    if (merged.isEmpty()) return;
    Map<String, Object> env = env(p);
    Map<String, Object> ordered = new LinkedHashMap<>(merged);
    ordered.putAll(env); // port: wins, as in PM2
    env.clear();
    env.putAll(ordered);
  }

  private static Map<String, Object> envOf(Draft d, String where, Object v) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!(v instanceof Map<?, ?> m)) {
      d.warn(where + ": not an object of variables; skipped");
      return out;
    }
    for (Map.Entry<String, Object> e : Values.map(m).entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        d.warn(
            where
                + "."
                + e.getKey()
                + ": not a variable name pmj passes on (letters, digits, _); skipped");
        continue;
      }
      Object value = e.getValue();
      if (value instanceof Map || value instanceof List) {
        out.put(e.getKey(), Templates.literal(Js.json(value))); // PM2 passes objects on as JSON
      } else if (value == null) {
        out.put(e.getKey(), "");
      } else {
        out.put(e.getKey(), Js.text(d, where + "." + e.getKey(), value, true));
      }
    }
    return out;
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
