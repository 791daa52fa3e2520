package dev.pmj.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PM2 app's variables: deploy.ENV.env, then env, then env_ENV (with {@code --env ENV}), each over
 * the one before, as PM2 merges them; {@code port} is PORT, over all of them.
 */
final class Pm2Env {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Pm2Env() {}

  /** {@code port}: PM2 passes it on as PORT. */
  static void port(Draft d, Draft.Proc p, String at, Object v) {
    String port = Values.string(Js.value(d, at, v));
    Map<String, Object> env = env(p);
    env.put("PORT", port);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Draft.Proc p) {
    Object env = p.keys.get("env");
    if (env instanceof Map<?, ?>) return (Map<String, Object>) env;
    Map<String, Object> m = new LinkedHashMap<>();
    p.keys.put("env", m);
    return m;
  }

  /** The merged variables of the app, written where its env is in the source. */
  static void env(
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
}
