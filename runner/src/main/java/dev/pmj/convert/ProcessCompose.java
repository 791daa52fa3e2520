package dev.pmj.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  private final ProcessComposeText text;
  private final ProcessComposeLifecycle lifecycle;

  private ProcessCompose(Map<String, Object> doc) {
    text = new ProcessComposeText(doc);
    lifecycle = new ProcessComposeLifecycle(text);
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
    if (!globalEnv.isEmpty()) d.top.put("env", text.env(d, null, "environment", globalEnv));
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
      text.startProcess(src);
      process(d, p, "processes." + e.getKey(), src);
      if (text.templatesLeft()) {
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
      p.put("command", text.throughShell(text.shellText(String.valueOf(command)).strip()));
    } else if (entrypoint != null) {
      // Run as it is, no shell: process-compose expands the variables in each item itself.
      List<String> argv = new ArrayList<>();
      for (String a : Values.strings(entrypoint)) argv.add(text.value(a));
      p.put("command", argv);
    }
    for (Map.Entry<String, Object> e : src.entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      switch (key) {
        case "command", "entrypoint", "vars" -> {}
        case "working_dir" -> {
          if (v != null) p.put("cwd", text.value(String.valueOf(v)));
        }
        case "environment" ->
            p.put("env", text.env(d, p, where + ".environment", Values.strings(v)));
        case "depends_on" -> lifecycle.dependsOn(d, p, where, Values.map(v));
        case "readiness_probe" ->
            lifecycle.readiness(d, p, where + ".readiness_probe", Values.map(v));
        case "ready_log_line" -> {
          if (!src.containsKey("readiness_probe"))
            p.put(
                "readiness",
                Map.of("logLine", ProcessComposeText.regexOf(text.render(String.valueOf(v)))));
          else
            d.unsupported(p, where, key, v, "pmj has one readiness check; readiness_probe is used");
        }
        case "availability" -> lifecycle.availability(d, p, where + ".availability", Values.map(v));
        case "shutdown" -> lifecycle.shutdown(d, p, where + ".shutdown", Values.map(v));
        case "disabled" -> {
          if (Boolean.TRUE.equals(v)) p.put("autostart", false);
        }
        case "replicas" -> {
          Long n = Values.number(v);
          if (n != null && n >= 1 && n <= 64) p.put("instances", n);
          else d.unsupported(p, where, key, v, "pmj runs 1 to 64 instances");
        }
        case "log_location" -> {
          if (v != null) p.put("logFile", text.value(String.valueOf(v)));
        }
        case "watch" -> watch(d, p, where + ".watch", v);
        case "is_daemon" -> {
          // Both mean: the program forks a daemon and exits; the daemon is the process.
          if (Boolean.TRUE.equals(v)) p.put("daemon", true);
          else if (!Boolean.FALSE.equals(v)) d.unsupported(p, where, key, v, "true or false");
        }
        case "is_interactive" -> {
          // Both mean: the process gets a terminal of its own, so its prompts can be answered.
          if (Boolean.TRUE.equals(v)) p.put("interactive", true);
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

  /** process-compose's watch: paths to watch, a debounce, and cascade to dependents. */
  private void watch(Draft d, Draft.Proc p, String where, Object v) {
    Map<String, Object> w = Values.map(v);
    List<String> paths = new ArrayList<>();
    for (Object o : Values.list(w.get("paths"))) {
      Object path = o instanceof Map<?, ?> m ? Values.map(m).get("path") : o;
      if (path != null) paths.add(text.value(Values.string(path)));
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

  static String why(String key) {
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
      case "is_tty" -> "pmj gives a terminal to interactive: true processes only";
      case "vars" -> "pmj has no Go templates; ${VAR} comes from env instead";
      case "exit_on_end", "exit_on_skipped" -> "pmj exits when every process has ended";
      default -> "pmj has no such setting";
    };
  }
}
