package dev.pmj.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * process-compose's file: processes with command (through the shell, as process-compose runs them),
 * working_dir, environment, depends_on conditions, readiness probes, availability, shutdown,
 * disabled, replicas, log_location. Everything else is a comment and a warning.
 */
final class ProcessCompose {
  private static final Set<String> TOP_KNOWN =
      Set.of(
          "processes",
          "environment",
          "version",
          "vars",
          "disable_env_expansion",
          "is_dotenv_disabled",
          "shell");
  private static final Map<String, String> SIGNALS =
      Map.of(
          "1", "HUP", "2", "INT", "3", "QUIT", "9", "KILL", "10", "USR1", "12", "USR2", "15",
          "TERM");

  private static final Pattern VAR =
      Pattern.compile("\\{\\{\\s*\\.([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
  private static final Pattern QUOTED =
      Pattern.compile("\\{\\{\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\}\\}");
  private static final Pattern ENV =
      Pattern.compile(
          "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  /** Whether process-compose expands $VAR in the file (disable_env_expansion: false). */
  private final boolean expand;

  /** vars: the file's, then the process's over them. */
  private final Map<String, String> globalVars;

  private Map<String, String> vars;
  private boolean templatesLeft;

  /** The shell commands run with: the file's shell, else bash -c as in process-compose. */
  private final List<String> shell;

  private ProcessCompose(Map<String, Object> doc) {
    expand = !Boolean.TRUE.equals(doc.get("disable_env_expansion"));
    Map<String, Object> sh = Values.map(doc.get("shell"));
    String program = Values.string(sh.get("shell_command"));
    String argument = Values.string(sh.get("shell_argument"));
    shell =
        List.of(
            program == null || program.isBlank() ? "bash" : program,
            argument == null ? "-c" : argument);
    globalVars = strings(Values.map(doc.get("vars")));
    vars = globalVars;
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Values.string(v)));
    return out;
  }

  static Draft read(java.nio.file.Path file, Map<String, Object> doc) {
    return new ProcessCompose(doc).read(file.getFileName().toString(), file, doc);
  }

  private Draft read(String name, java.nio.file.Path file, Map<String, Object> doc) {
    Draft d = new Draft(name);
    // process-compose reads the .env beside its file unless told not to.
    if (!Boolean.TRUE.equals(doc.get("is_dotenv_disabled"))
        && java.nio.file.Files.isRegularFile(file.resolveSibling(".env"))) {
      d.top.put("envFile", List.of(".env"));
    }
    d.header.add("Imported from " + name + " (process-compose) by pmj import.");
    d.header.add(
        "Commands run through the shell, as process-compose runs them; the comments say what differs.");
    List<String> globalEnv = Values.strings(doc.get("environment"));
    if (!globalEnv.isEmpty()) d.top.put("env", env(d, null, "environment", globalEnv));
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      if (!TOP_KNOWN.contains(e.getKey())) {
        d.unsupported(null, name, e.getKey(), e.getValue(), why(e.getKey()));
      }
    }
    Map<String, Object> processes = Values.map(doc.get("processes"));
    Map<String, String> ids = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : processes.entrySet()) {
      Draft.Proc p = d.process(e.getKey(), "processes");
      p.where = "processes." + e.getKey();
      ids.put(e.getKey(), p.id);
      Map<String, Object> src = Values.map(e.getValue());
      vars = new LinkedHashMap<>(globalVars);
      vars.putAll(strings(Values.map(src.get("vars"))));
      templatesLeft = false;
      process(d, p, "processes." + e.getKey(), src);
      if (templatesLeft) {
        d.warn(
            "processes."
                + e.getKey()
                + ": a Go template pmj cannot work out ({{...}} with functions, or a variable not in vars) is kept as text");
        p.note("{{...}}: process-compose's Go templates; pmj kept the text as it is");
      }
    }
    // Dependencies name processes by their source names: those renamed follow.
    for (Draft.Proc p : d.processes) {
      Object deps = p.keys.get("dependsOn");
      if (!(deps instanceof Map<?, ?> m)) continue;
      Map<String, Object> renamed = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String target = ids.get(String.valueOf(e.getKey()));
        if (target == null) {
          d.warn(
              "processes."
                  + p.id
                  + ".depends_on."
                  + e.getKey()
                  + ": no such process in the file; dropped (pmj would refuse it)");
          p.note("depends_on " + e.getKey() + ": no such process in the file");
        } else {
          renamed.put(target, e.getValue());
        }
      }
      if (renamed.isEmpty()) p.keys.remove("dependsOn");
      else p.keys.put("dependsOn", renamed);
    }
    return d;
  }

  private void process(Draft d, Draft.Proc p, String where, Map<String, Object> src) {
    Object command = src.get("command");
    Object entrypoint = src.get("entrypoint");
    if (command != null) {
      // process-compose runs a command with its shell: bash -c unless the file names another.
      List<String> argv = new ArrayList<>(shell);
      argv.add(shellText(String.valueOf(command)).strip());
      p.put("command", argv);
    } else if (entrypoint != null) {
      // Run as it is, no shell: process-compose expands the variables in each item itself.
      List<String> argv = new ArrayList<>();
      for (String a : Values.strings(entrypoint)) argv.add(value(a));
      p.put("command", argv);
    }
    for (Map.Entry<String, Object> e : src.entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      switch (key) {
        case "command", "entrypoint", "vars" -> {}
        case "working_dir" -> {
          if (v != null) p.put("cwd", value(String.valueOf(v)));
        }
        case "environment" -> p.put("env", env(d, p, where + ".environment", Values.strings(v)));
        case "depends_on" -> dependsOn(d, p, where, Values.map(v));
        case "readiness_probe" -> readiness(d, p, where + ".readiness_probe", Values.map(v));
        case "ready_log_line" -> {
          if (!src.containsKey("readiness_probe"))
            p.put("readiness", Map.of("logLine", regexOf(render(String.valueOf(v)))));
          else
            d.unsupported(p, where, key, v, "pmj has one readiness check; readiness_probe is used");
        }
        case "availability" -> availability(d, p, where + ".availability", Values.map(v));
        case "shutdown" -> shutdown(d, p, where + ".shutdown", Values.map(v));
        case "disabled" -> {
          if (Boolean.TRUE.equals(v)) p.put("autostart", false);
        }
        case "replicas" -> {
          Long n = Values.number(v);
          if (n != null && n >= 1 && n <= 64) p.put("instances", n);
          else d.unsupported(p, where, key, v, "pmj runs 1 to 64 instances");
        }
        case "log_location" -> {
          if (v != null) p.put("logFile", value(String.valueOf(v)));
        }
        case "watch" -> watch(d, p, where + ".watch", v);
        case "is_daemon" -> {
          // Both mean: the program forks a daemon and exits; the daemon is the process.
          if (Boolean.TRUE.equals(v)) p.put("daemon", true);
          else if (!Boolean.FALSE.equals(v)) d.unsupported(p, where, key, v, "true or false");
        }
        default -> d.unsupported(p, where, key, v, why(key));
      }
    }
    // process-compose restarts nothing unless availability says so, and then after a fixed delay.
    if (!p.keys.containsKey("restart")) p.put("restart", "never");
    if (!"never".equals(p.keys.get("restart"))) {
      Long b = Values.number(Values.map(src.get("availability")).get("backoff_seconds"));
      String delay = Math.max(1, b == null ? 1 : b) + "s";
      p.put("backoff", delay);
      p.put("backoffMax", delay);
    }
    if (!p.keys.containsKey("command")) {
      d.warn(where + ": no command or entrypoint; pmj needs one");
      p.put("command", "false");
      p.note("no command in the source: give this process one");
    }
  }

  /**
   * Text for the shell (command, entrypoint, exec probe): Go templates rendered from vars;
   * process-compose then expands $VAR and takes $$ for $, as the shell expands $VAR: $$ becomes $
   * and the shell does the rest.
   */
  private String shellText(String s) {
    if (s == null) return "";
    String t = render(s);
    return Templates.literal(expand ? t.replace("$$", "$") : t);
  }

  /**
   * A value pmj templates (working_dir, environment, log_location, probe addresses): $VAR and
   * ${VAR} as pmj's ${VAR:-} (unset is empty there too), $$ as $.
   */
  private String value(String s) {
    if (s == null) return "";
    String t = render(s);
    if (!expand) return Templates.literal(t);
    StringBuilder sb = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    Matcher m = ENV.matcher(t);
    int last = 0;
    while (m.find()) {
      literal.append(t, last, m.start());
      if (m.group().equals("$$")) {
        literal.append('$');
      } else {
        sb.append(Templates.literal(literal.toString()));
        literal.setLength(0);
        String name = m.group(1) != null ? m.group(1) : m.group(4);
        if (m.group(2) != null) {
          // ${X:-d} and ${X-d} mean there what they mean in pmj.
          sb.append("${")
              .append(name)
              .append(m.group(2))
              .append(Templates.literal(m.group(3)))
              .append('}');
        } else {
          sb.append("${").append(name).append(":-}");
        }
      }
      last = m.end();
    }
    literal.append(t.substring(last));
    return sb.append(Templates.literal(literal.toString())).toString();
  }

  /** Go templates of the simplest kinds: {{.NAME}} from vars, {{"text"}}; the rest is kept. */
  private String render(String s) {
    if (!s.contains("{{")) return s;
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int open = s.indexOf("{{", i);
      if (open < 0) break;
      sb.append(s, i, open);
      Matcher q = QUOTED.matcher(s).region(open, s.length());
      Matcher v = VAR.matcher(s).region(open, s.length());
      if (q.lookingAt()) {
        sb.append(q.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        i = q.end();
      } else if (v.lookingAt() && vars.containsKey(v.group(1))) {
        sb.append(vars.get(v.group(1)));
        i = v.end();
      } else {
        int close = s.indexOf("}}", open);
        int end = close < 0 ? s.length() : close + 2;
        sb.append(s, open, end);
        templatesLeft = true;
        i = end;
      }
    }
    return sb.append(s.substring(i)).toString();
  }

  /** A regular expression that matches {@code text} itself. */
  private static String regexOf(String text) {
    return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
  }

  private Map<String, String> env(Draft d, Draft.Proc p, String where, List<String> items) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        d.warn(
            where
                + ": \""
                + item
                + "\" has no value; the process gets it from pmj's environment, as every variable");
        if (p != null) p.note("environment: " + item + " (no value: from pmj's environment)");
        continue;
      }
      String name = item.substring(0, eq);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        d.warn(
            where
                + ": "
                + name
                + " is not a variable name pmj passes on (letters, digits, _); skipped");
        if (p != null) p.note("environment: " + item + " (not a variable name pmj passes on)");
        continue;
      }
      env.put(name, value(item.substring(eq + 1)));
    }
    return env;
  }

  private void dependsOn(Draft d, Draft.Proc p, String where, Map<String, Object> deps) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : deps.entrySet()) {
      String condition = Values.string(Values.map(e.getValue()).get("condition"));
      String mapped;
      switch (condition == null ? "process_started" : condition) {
        case "process_started" -> mapped = "started";
        case "process_healthy", "process_log_ready" -> mapped = "ready";
        case "process_completed_successfully" -> mapped = "completed";
        case "process_completed" -> {
          mapped = "completed";
          d.warn(
              p,
              "depends_on: process_completed",
              "waits for any exit code; pmj's completed waits for exit code 0");
          p.note(
              "depends_on "
                  + e.getKey()
                  + ": process_completed (any exit code) became completed (exit code 0)");
        }
        default -> {
          mapped = "started";
          d.warn(
              where
                  + ".depends_on."
                  + e.getKey()
                  + ": unknown condition \""
                  + condition
                  + "\"; imported as started");
        }
      }
      out.put(e.getKey(), mapped);
    }
    if (!out.isEmpty()) p.put("dependsOn", out);
  }

  private void readiness(Draft d, Draft.Proc p, String where, Map<String, Object> probe) {
    Map<String, Object> r = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : probe.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "http_get" -> {
          Map<String, Object> h = Values.map(v);
          String scheme = Values.string(h.getOrDefault("scheme", "http"));
          String host = Values.string(h.getOrDefault("host", "127.0.0.1"));
          String port = h.get("port") == null ? "" : ":" + Values.string(h.get("port"));
          String path = Values.string(h.getOrDefault("path", "/"));
          if (!path.startsWith("/")) path = "/" + path;
          String url = value(scheme) + "://" + value(host) + value(port) + value(path);
          if (url.contains("{{")) {
            d.unsupported(
                p,
                where,
                "http_get",
                v,
                "a Go template in the address: pmj needs the address itself");
          } else {
            r.put("http", url);
          }
        }
        case "exec" -> {
          List<String> argv = new ArrayList<>(shell);
          argv.add(shellText(Values.string(Values.map(v).get("command"))));
          r.put("exec", argv);
        }
        case "period_seconds", "timeout_seconds" -> {
          Long n = Values.number(v);
          if (n != null && n > 0)
            r.put(e.getKey().startsWith("period") ? "interval" : "timeout", n + "s");
          else d.unsupported(p, where, e.getKey(), v, "a whole number of seconds, 1 or more");
        }
        default ->
            d.unsupported(
                p, where, e.getKey(), v, "pmj probes until the check passes, every interval");
      }
    }
    if (r.containsKey("http") || r.containsKey("exec")) p.put("readiness", r);
  }

  private void availability(Draft d, Draft.Proc p, String where, Map<String, Object> a) {
    for (Map.Entry<String, Object> e : a.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "restart" -> {
          String r = String.valueOf(v).toLowerCase(Locale.ROOT);
          switch (r) {
            case "always" -> p.put("restart", "always");
            case "on_failure" -> p.put("restart", "on-failure");
            case "exit_on_failure" -> {
              p.put("restart", "on-failure");
              p.note(
                  "restart: exit_on_failure stops everything when this process fails: pmj up --exit-on-failure does that");
              d.warn(
                  p,
                  "availability.restart: exit_on_failure",
                  "pmj up --exit-on-failure stops everything when a process fails");
            }
            case "no", "false", "never" -> p.put("restart", "never");
            default ->
                d.unsupported(
                    p, where, "restart", v, "one of always, on_failure, exit_on_failure, no");
          }
        }
        case "backoff_seconds" -> {
          Long n = Values.number(v);
          if (n == null || n < 0)
            d.unsupported(p, where, "backoff_seconds", v, "a whole number of seconds");
        }
        case "max_restarts" -> {
          Long n = Values.number(v);
          // 0 (the default) is no limit there.
          if (n != null && n > 0) p.put("maxRetries", n);
          else if (n == null || n < 0)
            d.unsupported(p, where, "max_restarts", v, "a whole number of restarts");
        }
        default -> d.unsupported(p, where, e.getKey(), v, why(e.getKey()));
      }
    }
  }

  private void shutdown(Draft d, Draft.Proc p, String where, Map<String, Object> s) {
    for (Map.Entry<String, Object> e : s.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "signal" -> {
          String sig = String.valueOf(v).toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
          sig = SIGNALS.getOrDefault(sig, sig);
          if (Set.of("TERM", "INT", "HUP", "QUIT", "KILL", "USR1", "USR2").contains(sig))
            p.put("stopSignal", sig);
          else
            d.unsupported(
                p, where, "signal", v, "pmj stops with TERM, INT, HUP, QUIT, KILL, USR1 or USR2");
        }
        case "timeout_seconds" -> {
          Long n = Values.number(v);
          if (n != null && n > 0) p.put("stopTimeout", n + "s");
          else
            d.unsupported(
                p,
                where,
                "timeout_seconds",
                v,
                "0 never kills there; pmj sends KILL after stopTimeout (5s)");
        }
        case "command" -> {
          String text = Values.string(v);
          if (text == null || text.isBlank()) {
            d.unsupported(p, where, "command", v, "a command line");
          } else {
            // Run the way process-compose runs it: through its shell.
            List<String> argv = new ArrayList<>(shell);
            argv.add(shellText(text));
            p.put("stopCommand", argv);
          }
        }
        default -> d.unsupported(p, where, e.getKey(), v, why(e.getKey()));
      }
    }
  }

  /** process-compose's watch: paths to watch, a debounce, and cascade to dependents. */
  private void watch(Draft d, Draft.Proc p, String where, Object v) {
    Map<String, Object> w = Values.map(v);
    List<String> paths = new ArrayList<>();
    for (Object o : Values.list(w.get("paths"))) {
      Object path = o instanceof Map<?, ?> m ? Values.map(m).get("path") : o;
      if (path != null) paths.add(value(Values.string(path)));
      if (o instanceof Map<?, ?> m && Values.map(m).size() > 1) {
        d.unsupported(
            p, where, "paths", o, "pmj watches whole paths; ignore them with watchIgnore");
      }
    }
    p.put("devMode", true);
    if (!paths.isEmpty()) p.put("watchPaths", paths);
    for (Map.Entry<String, Object> e : w.entrySet()) {
      switch (e.getKey()) {
        case "paths" -> {}
        case "debounce" -> {
          String t = Values.string(e.getValue());
          if (t != null && t.matches("([0-9]+(ms|s|m|h))+")) p.put("debounce", t);
          else d.unsupported(p, where, "debounce", e.getValue(), "a duration such as 500ms or 1s");
        }
        case "cascade" -> {
          if (Boolean.TRUE.equals(e.getValue())) p.put("restartDependents", true);
        }
        default -> d.unsupported(p, where, e.getKey(), e.getValue(), "pmj has no such setting");
      }
    }
  }

  private static String why(String key) {
    return switch (key) {
      case "log_location" ->
          "process-compose's own log; pmj writes its own to .pmj/pmj.log with pmj up -d";
      case "log_length" -> "pmj keeps logBuffer lines of each process";
      case "env_cmds" -> "pmj runs no commands to make variables; set them in env or an env file";
      case "is_strict" -> "pmj always refuses keys it does not know";
      case "extends" -> "pmj reads one file; import the other one too";
      case "is_tui_disabled" -> "pmj's console is plain lines; pmj up -d runs without it";
      case "ordered_shutdown" -> "pmj stops dependents before what they depend on";
      case "is_dotenv_disabled" -> "pmj reads the file's .env for every process";
      case "description" -> "a description: kept here as this comment";
      case "is_elevated" -> "pmj runs processes as the user who runs pmj";
      case "success_exit_codes" -> "pmj's restart: on-failure treats only exit code 0 as success";
      case "schedule" ->
          "pmj has no scheduled runs; a cron job or a systemd timer can run pmj start";
      case "launch_timeout_seconds" -> "pmj waits for readiness without a launch timeout";
      case "monitor_for" -> "pmj has no output monitors";
      case "liveness_probe" -> "pmj checks readiness only; a process that hangs is not restarted";
      case "namespace" -> "pmj has no namespaces";
      case "log_configuration", "log_level" -> "pmj writes plain lines with their time";
      case "is_tty", "is_interactive" -> "pmj gives processes no terminal";
      case "vars" -> "pmj has no Go templates; ${VAR} comes from env instead";
      case "exit_on_end", "exit_on_skipped" -> "pmj exits when every process has ended";
      default -> "pmj has no such setting";
    };
  }
}
