package dev.pmj.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PM2 ecosystem file, as PM2 reads it: the apps are {@code apps}, else {@code pm2}, else the file
 * itself (one object is one app; an {@code apps} mapping names its apps by key). Each app's keys
 * map onto pmj's; PM2's defaults that differ from pmj's are written out (SIGINT to stop, an app
 * named after its script); the rest is a comment and a warning. Each group of keys has its own
 * class: {@link Pm2Command} (script, args, interpreter), {@link Pm2Env}, {@link Pm2Lifecycle}
 * (restarts and stopping), {@link Pm2Watch}, {@link Pm2Logs}, {@link Pm2Instances}.
 */
final class Pm2 {
  private static final Set<String> APP_KEYS =
      Set.of("script", "name", "cmd", "command", "exec", "args", "cwd", "env", "instances");

  /** Keys pmj has no equivalent for, and why: each is a comment and a warning. */
  private static final Map<String, String> NOT_CARRIED =
      Map.ofEntries(
          Map.entry(
              "wait_ready",
              "pmj has no process.send('ready'); a readiness check (http, tcp, exec, logLine) says when a process is ready"),
          Map.entry(
              "listen_timeout",
              "it belongs with wait_ready; a readiness check has its own interval and timeout"),
          Map.entry("increment_var", "pmj gives each instance PMJ_INSTANCE (1 to N)"),
          Map.entry("instance_var", "pmj gives each instance PMJ_INSTANCE (1 to N)"),
          Map.entry("merge_logs", "the instances of a process share its logFile in pmj"),
          Map.entry("combine_logs", "the instances of a process share its logFile in pmj"),
          Map.entry("namespace", "pmj has no namespaces"),
          Map.entry("cron_restart", "pmj has no scheduled restarts"),
          Map.entry("cron", "pmj has no scheduled restarts"),
          Map.entry(
              "stop_exit_codes", "pmj's restart: on-failure treats only exit code 0 as success"),
          Map.entry("watch_options", "pmj watches with its own settings (debounce, watchIgnore)"));

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

  /** Whether {@code path} is relative: not absolute, not from a variable or the home folder. */
  static boolean relative(String path) {
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

  /**
   * One app: what it runs, then its keys in the source's order (so that pmj's keys, comments and
   * warnings follow it), then what depends on all of them and PM2's defaults.
   */
  private static void app(
      Draft d,
      String where,
      String key,
      Map<String, Object> app,
      String envName,
      Map<String, Object> deploy,
      int cpus,
      Path dir) {
    String script = Pm2Command.script(d, where, app);
    Draft.Proc p = d.process(Pm2Command.name(d, where, key, app, script), where + ".name");
    where = where + " (" + p.id + ")";
    p.where = where;
    Pm2Command.command(d, p, where, app, script, dir);
    boolean envDone = false;
    for (Map.Entry<String, Object> e : app.entrySet()) {
      String k = e.getKey();
      if (!envDone && (k.equals("env") || k.equals("env_" + envName))) {
        Pm2Env.env(d, p, where, app, envName, deploy);
        envDone = true;
      }
      key(d, p, where, app, k, e.getValue(), envName, cpus);
    }
    Pm2Instances.execMode(d, p, where, app.get("exec_mode"));
    if (!envDone) Pm2Env.env(d, p, where, app, envName, deploy);
    Pm2Logs.fromCwd(p);
    Pm2Lifecycle.defaults(p, app);
    Pm2Instances.numbering(d, p, app);
  }

  /** One key of an app, {@code k} with its value {@code v}, handed to its group. */
  private static void key(
      Draft d,
      Draft.Proc p,
      String where,
      Map<String, Object> app,
      String k,
      Object v,
      String envName,
      int cpus) {
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
          "exec_mode" -> {} // read with what they belong to, before or after the other keys
      case "cwd" -> p.put("cwd", Js.path(d, at, v));
      case "instances" -> Pm2Instances.instances(d, p, at, v, cpus);
      case "autorestart",
          "autostart",
          "max_restarts",
          "restart_delay",
          "exp_backoff_restart_delay",
          "kill_timeout",
          "min_uptime",
          "max_memory_restart" ->
          Pm2Lifecycle.key(d, p, where, app, k, v);
      case "watch", "ignore_watch", "watch_delay" -> Pm2Watch.key(d, p, where, k, v);
      case "port" -> Pm2Env.port(d, p, at, v);
      case "time" -> {
        if (Boolean.TRUE.equals(Js.value(d, at, v)))
          d.unsupported(p, where, k, v, "pmj up --timestamps puts the time before every line");
      }
      default -> {
        if (Pm2Logs.KEYS.contains(k)) {
          Pm2Logs.logFile(d, p, where, app, k, v);
        } else if (NOT_CARRIED.containsKey(k)) {
          d.unsupported(p, where, k, v, NOT_CARRIED.get(k));
        } else if (k.startsWith("env_")) {
          if (!k.substring(4).equals(envName))
            d.unsupported(p, where, k, v, "used with pmj import --env " + k.substring(4));
        } else {
          d.unsupported(p, where, k, v, "pmj has no such setting");
        }
      }
    }
  }
}
