package dev.pmj.convert;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PM2 app's instances and exec_mode: "max" and 0 are one per CPU (of this machine), -1 one less;
 * pmj runs every instance as its own process, as PM2's fork mode does.
 */
final class Pm2Instances {
  private Pm2Instances() {}

  /** {@code instances}, as a number of processes for the {@code cpus} of this machine. */
  static void instances(Draft d, Draft.Proc p, String at, Object v, int cpus) {
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

  /** exec_mode, after the app's other keys: what cluster mode means for its instances. */
  static void execMode(Draft d, Draft.Proc p, String where, Object mode) {
    if (mode == null) return;
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

  /** The variable that numbers the instances, which PM2 and pmj count differently. */
  static void numbering(Draft d, Draft.Proc p, Map<String, Object> app) {
    Object instances = p.keys.get("instances");
    if (instances != null || app.containsKey("instance_var")) {
      d.warn(
          p,
          "instances",
          "PM2 numbers instances in NODE_APP_INSTANCE from 0; pmj in PMJ_INSTANCE from 1");
    }
  }
}
