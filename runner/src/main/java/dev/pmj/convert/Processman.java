package dev.pmj.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * processman's pb_processes.json: a list of processes whose keys are pmj's own (id, script or
 * command, args, cwd, env, interpreter, maxRetries, backoff, devMode, watchPaths). Its defaults
 * that differ from pmj's are written out: no retry after a failure unless maxRetries says so, and
 * an unset variable in env is empty.
 */
final class Processman {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private Processman() {}

  static Draft read(String name, Object doc, boolean strictJson, java.nio.file.Path dir) {
    Draft d = new Draft(name);
    d.header.add("Imported from " + name + " (processman) by pmj import.");
    d.header.add(
        "processman resolves cwd against pb_data: this file belongs in that folder, as "
            + name
            + " did.");
    if (dir != null && java.nio.file.Files.isRegularFile(dir.resolve(".env"))) {
      d.top.put("envFile", List.of());
      d.topNotes.add("envFile: [] because processman does not read the .env beside this file");
    }
    if (!strictJson)
      d.warn(
          name
              + ": not strict JSON (comments, quotes or commas): processman itself refuses this file; pmj read it anyway");
    if (!(doc instanceof List<?> list)) {
      d.warn(name + ": processman reads a list of processes; this is not one: no process found");
      return d;
    }
    int index = 0;
    for (Object o : list) {
      String where = name + "[" + index++ + "]";
      if (!(o instanceof Map<?, ?> m)) {
        d.warn(where + ": not an object; skipped");
        continue;
      }
      Map<String, Object> src = Values.map(m);
      String id = Values.string(src.get("id"));
      if (id == null || id.isEmpty()) {
        d.warn(where + ": no id; skipped, as processman skips it");
        d.topNotes.add("skipped " + where + " (no id): " + Yaml.inline(o));
        continue;
      }
      if (src.get("script") == null && src.get("command") == null) {
        d.warn(
            where + " (" + id + "): neither script nor command; skipped, as processman skips it");
        d.topNotes.add("skipped " + where + " (no script or command): " + Yaml.inline(o));
        continue;
      }
      Draft.Proc p = d.process(id, where + ".id");
      p.where = where;
      for (Map.Entry<String, Object> e : src.entrySet()) {
        Object v = e.getValue();
        switch (e.getKey()) {
          case "id" -> {}
          case "script" -> p.put("script", Values.string(v));
          case "command" -> {
            if (src.get("script") != null) {
              d.unsupported(p, where, "command", v, "processman runs script when both are given");
            } else {
              // processman runs it as one program name, never split into words.
              p.put("command", List.of(Templates.literal(Values.string(v))));
            }
          }
          case "args" -> {
            List<String> args = Values.strings(v);
            args.replaceAll(Templates::literal);
            if (!args.isEmpty()) p.put("args", args);
          }
          case "cwd" -> {
            if (v != null) p.put("cwd", Templates.literal(Values.string(v)));
          }
          case "env" -> {
            for (String k : Values.map(v).keySet()) {
              if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                d.unsupported(
                    p,
                    where,
                    "env." + k,
                    Values.map(v).get(k),
                    "not a variable name pmj passes on (letters, digits, _)");
              }
            }
            p.put("env", env(Values.map(v)));
          }
          case "interpreter" -> {
            String i = Values.string(v);
            if (i != null && !i.isEmpty() && !i.equals("auto")) p.put("interpreter", i);
          }
          case "maxRetries" -> p.put("maxRetries", Values.number(v));
          case "backoff" -> backoff(d, p, where, v);
          case "devMode" -> {
            if (Boolean.TRUE.equals(v)) p.put("devMode", true);
          }
          case "watchPaths" -> {
            List<String> paths = Values.strings(v);
            paths.replaceAll(Templates::literal);
            p.put("watchPaths", paths);
          }
          default ->
              d.unsupported(
                  p, where, e.getKey(), v, "processman has no such key either; it ignores it");
        }
      }
      if (!src.containsKey("maxRetries")) {
        p.put("maxRetries", 0);
        p.note("maxRetries: 0 is processman's default: it gives up after the first failure");
      }
    }
    if (d.processes.isEmpty()) d.warn(name + ": no process found");
    return d;
  }

  /** processman expands $VAR and ${VAR} in env values, an unset one to nothing. */
  private static Map<String, Object> env(Map<String, Object> src) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : src.entrySet()) {
      if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) continue; // said by the caller
      String value = Values.string(e.getValue());
      if (value == null) value = "";
      StringBuilder sb = new StringBuilder();
      java.util.regex.Matcher m = VARIABLE.matcher(value);
      int last = 0;
      while (m.find()) {
        sb.append(Templates.literal(value.substring(last, m.start())));
        String var = m.group(1) != null ? m.group(1) : m.group(2);
        sb.append("${").append(var).append(":-}");
        last = m.end();
      }
      sb.append(Templates.literal(value.substring(last)));
      env.put(e.getKey(), sb.toString());
    }
    return env;
  }

  private static void backoff(Draft d, Draft.Proc p, String where, Object v) {
    String s = Values.string(v);
    // Go durations: 1s, 500ms, 1m30s, 1.5s; pmj's have whole numbers.
    if (s != null && s.matches("([0-9]+(ms|s|m|h))+")) {
      p.put("backoff", s);
    } else if (s != null && s.matches("[0-9]+\\.[0-9]+s")) {
      long ms = Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
      p.put("backoff", Values.millis(ms));
    } else {
      d.unsupported(p, where, "backoff", v, "a duration such as 500ms, 1s or 2m");
    }
  }
}
