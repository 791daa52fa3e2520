package dev.pmj.convert;

import java.util.List;
import java.util.Map;

/**
 * Values of a JavaScript ecosystem file as pmj's: text with the expressions PM2 would compute when
 * it loads the file ({@code process.env.X || "d"}, {@code path.join(__dirname, …)}) turned into pmj
 * templates and paths where pmj takes templates, and into their fallback elsewhere, with a warning.
 */
final class Js {
  private Js() {}

  /**
   * Text for a key pmj templates (command, args, cwd, env, logFile, watchPaths): literal text kept
   * literal, an environment lookup as {@code ${X:-d}}, __dirname as the file's folder.
   */
  static String text(Draft d, String where, Object v, boolean templated) {
    if (v == null) return null;
    if (!templated) return plain(d, where, v);
    if (v instanceof JsLiteral.EnvRef r) {
      String fallback = r.fallback() == null ? null : scalar(r.fallback());
      if (fallback != null && fallback.contains("}")) {
        // A default cannot hold } in a template: the value is the fallback, as when X is unset.
        d.warn(
            where
                + ": "
                + describe(r)
                + ": a default with } cannot be written as ${"
                + r.name()
                + ":-…}; pmj takes "
                + Yaml.inline(fallback));
        return Templates.literal(fallback);
      }
      // || falls back on an empty value too, ?? only on a missing one.
      return Templates.variable(
          r.name(), fallback == null ? "" : fallback, r.or() || fallback == null);
    }
    if (v instanceof JsLiteral.RelativePath p) {
      // A value, not a path pmj resolves: the folder as PMJ_PROJECT_DIR, where the file is.
      String rel =
          p.path().isEmpty() || p.path().equals(".") ? "" : "/" + Templates.literal(p.path());
      return "${PMJ_PROJECT_DIR}" + rel;
    }
    if (v instanceof JsLiteral.Concat c) {
      StringBuilder sb = new StringBuilder();
      for (Object part : c.parts()) sb.append(text(d, where, part, true));
      return sb.toString();
    }
    if (v instanceof Map || v instanceof List) return Templates.literal(json(v));
    return Templates.literal(scalar(v));
  }

  /**
   * A path pmj resolves against the file's folder (cwd, logFile, watchPaths): __dirname's paths
   * stay relative.
   */
  static String path(Draft d, String where, Object v) {
    if (v instanceof JsLiteral.RelativePath p) {
      return Templates.literal(p.path().isEmpty() ? "." : p.path());
    }
    return text(d, where, v, true);
  }

  /**
   * Text for a key pmj does not template (name, script, interpreter): an environment lookup becomes
   * its fallback, with a warning, since PM2 reads it once, when it loads the file.
   */
  static String plain(Draft d, String where, Object v) {
    if (v == null) return null;
    if (v instanceof JsLiteral.EnvRef r) {
      Object fallback = r.fallback();
      d.warn(
          where
              + ": "
              + describe(r)
              + " is read when PM2 loads the file; pmj takes "
              + (fallback == null ? "nothing" : Yaml.inline(scalar(fallback)))
              + " here (pmj reads variables only in command, args, cwd, env and logFile)");
      return fallback == null ? null : scalar(fallback);
    }
    if (v instanceof JsLiteral.RelativePath p) return p.path().isEmpty() ? "." : p.path();
    if (v instanceof JsLiteral.Concat c) {
      StringBuilder sb = new StringBuilder();
      for (Object part : c.parts()) {
        String s = plain(d, where, part);
        if (s != null) sb.append(s);
      }
      return sb.toString();
    }
    if (v instanceof Map || v instanceof List) return json(v);
    return scalar(v);
  }

  /**
   * A value for a number or a switch: an environment lookup becomes its fallback, with a warning.
   */
  static Object value(Draft d, String where, Object v) {
    if (v instanceof JsLiteral.EnvRef r) {
      d.warn(
          where
              + ": "
              + describe(r)
              + " is read when PM2 loads the file; pmj takes "
              + (r.fallback() == null ? "PM2's default" : Yaml.inline(r.fallback()))
              + " here");
      return r.fallback();
    }
    if (v instanceof JsLiteral.RelativePath || v instanceof JsLiteral.Concat)
      return plain(d, where, v);
    return v;
  }

  /**
   * {@code v} as a comment shows it: an environment lookup as the template it would be ({@code
   * ${PORT:-8080}}), __dirname's paths and concatenations as their text; maps and lists throughout.
   * Anything else as it is.
   */
  static Object shown(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, shown(x)));
      return out;
    }
    if (v instanceof List<?> l) return l.stream().map(Js::shown).toList();
    if (v instanceof JsLiteral.EnvRef r) {
      String fallback = r.fallback() == null ? null : scalar(r.fallback());
      // A default with } cannot be a template's: the JavaScript says it as well.
      if (fallback != null && fallback.contains("}")) return describe(r);
      return Templates.variable(
          r.name(), fallback == null ? "" : fallback, r.or() || fallback == null);
    }
    if (v instanceof JsLiteral.RelativePath || v instanceof JsLiteral.Concat) {
      return plainText(v);
    }
    return v;
  }

  private static String plainText(Object v) {
    if (v instanceof JsLiteral.RelativePath p) {
      return "${PMJ_PROJECT_DIR}"
          + (p.path().isEmpty() || p.path().equals(".") ? "" : "/" + p.path());
    }
    if (v instanceof JsLiteral.Concat c) {
      StringBuilder sb = new StringBuilder();
      for (Object part : c.parts()) sb.append(plainText(part));
      return sb.toString();
    }
    Object s = shown(v);
    return s instanceof String str ? str : scalar(s);
  }

  private static String describe(JsLiteral.EnvRef r) {
    return "process.env."
        + r.name()
        + (r.fallback() == null ? "" : (r.or() ? " || " : " ?? ") + jsLiteral(r.fallback()));
  }

  private static String jsLiteral(Object v) {
    return v instanceof String s ? "'" + s + "'" : scalar(v);
  }

  static String scalar(Object v) {
    if (v instanceof Double dd && dd == Math.rint(dd) && !Double.isInfinite(dd))
      return Long.toString(dd.longValue());
    return String.valueOf(v);
  }

  /** JSON text, as JSON.stringify writes it (PM2 passes object-valued variables on so). */
  static String json(Object v) {
    StringBuilder sb = new StringBuilder();
    json(sb, v);
    return sb.toString();
  }

  private static void json(StringBuilder sb, Object v) {
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        json(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        json(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof JsLiteral.EnvRef
        || v instanceof JsLiteral.RelativePath
        || v instanceof JsLiteral.Concat) {
      string(sb, text(null, "", v, true));
    } else {
      sb.append(v == null ? "null" : scalar(v));
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append(Yaml.quote(s)); // JSON's escapes, which YAML's double quotes share
  }
}
