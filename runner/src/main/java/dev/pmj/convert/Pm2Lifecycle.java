package dev.pmj.convert;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a PM2 app starts, restarts and stops: autostart, autorestart, max_restarts, restart_delay,
 * exp_backoff_restart_delay, min_uptime, max_memory_restart and kill_timeout, and PM2's defaults
 * that differ from pmj's (16 restarts, min_uptime 1s, SIGINT to stop).
 */
final class Pm2Lifecycle {
  private static final Pattern MEMORY = Pattern.compile("(?i)([0-9]+)\\s*([KMG]?)B?");
  private static final Pattern UPTIME = Pattern.compile("([0-9]+)(h|m|s)?");

  private Pm2Lifecycle() {}

  /** One of the keys above, {@code k}, with its value {@code v}. */
  static void key(
      Draft d, Draft.Proc p, String where, Map<String, Object> app, String k, Object v) {
    String at = where + "." + k;
    switch (k) {
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
      default -> throw new IllegalArgumentException("not a lifecycle key: " + k);
    }
  }

  /** PM2's defaults that pmj's differ from, after the app's own keys. */
  static void defaults(Draft.Proc p, Map<String, Object> app) {
    if (!"never".equals(p.keys.get("restart"))) {
      // PM2 counts a restart as a failure only when the app ran less than min_uptime (1s), and
      // gives up after max_restarts (16) of them.
      if (!app.containsKey("min_uptime")) p.put("healthyAfter", "1s");
      if (!app.containsKey("max_restarts")) p.put("maxRetries", 16);
    }
    p.put("stopSignal", "INT");
  }
}
