package dev.pmj.convert;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When a process-compose process starts (depends_on, readiness_probe), restarts (availability) and
 * stops (shutdown), as pmj's dependsOn, readiness, restart and stop keys.
 */
final class ProcessComposeLifecycle {
  private static final Map<String, String> SIGNALS =
      Map.of(
          "1", "HUP", "2", "INT", "3", "QUIT", "9", "KILL", "10", "USR1", "12", "USR2", "15",
          "TERM");

  private final ProcessComposeText text;

  ProcessComposeLifecycle(ProcessComposeText text) {
    this.text = text;
  }

  void dependsOn(Draft d, Draft.Proc p, String where, Map<String, Object> deps) {
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

  void readiness(Draft d, Draft.Proc p, String where, Map<String, Object> probe) {
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
          String url =
              text.value(scheme) + "://" + text.value(host) + text.value(port) + text.value(path);
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
          r.put(
              "exec",
              text.throughShell(text.shellText(Values.string(Values.map(v).get("command")))));
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

  void availability(Draft d, Draft.Proc p, String where, Map<String, Object> a) {
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
        default -> d.unsupported(p, where, e.getKey(), v, ProcessCompose.why(e.getKey()));
      }
    }
  }

  void shutdown(Draft d, Draft.Proc p, String where, Map<String, Object> s) {
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
          String command = Values.string(v);
          if (command == null || command.isBlank()) {
            d.unsupported(p, where, "command", v, "a command line");
          } else {
            // Run the way process-compose runs it: through its shell.
            p.put("stopCommand", text.throughShell(text.shellText(command)));
          }
        }
        default -> d.unsupported(p, where, e.getKey(), v, ProcessCompose.why(e.getKey()));
      }
    }
  }
}
