package dev.pmj.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * Template resolution (README, "The file") for one process: {@code ${NAME}}, {@code ${NAME:-default}}
 * (unset or empty), {@code ${NAME-default}} (unset), {@code $${} for a literal {@code ${}.
 *
 * <p>Variables come from layers searched in order: built-ins, the process's env, the global env,
 * env files, the OS environment. Env values are themselves templates, resolved on first use; a
 * value that refers to its own name ({@code PATH: ./bin:${PATH}}) sees the next layer out, and
 * any other loop is reported as a cycle. A substituted value is never substituted again.
 *
 * <p>Substitution uses {@link StringSubstitutor} with our own {@link StringLookup} only: no
 * interpolator, so {@code ${script:...}}, {@code ${file:...}} and the like are errors here and
 * are never evaluated.
 */
final class Variables {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LOOKUP_PREFIX =
      Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_.]*:(?![-?])");

  /** Where a template was written, for messages. */
  record Where(String file, Mark mark, String path) {}

  /** A variable of a layer; literal ones (OS environment, single-quoted) are never templated. */
  record Var(int layer, String name, String value, boolean literal, Where where) {}

  /** A problem with a template, to be reported where the template was written. */
  static final class TemplateError extends RuntimeException {
    TemplateError(String message) {
      super(message, null, false, false);
    }
  }

  /** Raised when the problem was already reported at the variable that has it. */
  static final class AlreadyReported extends RuntimeException {
    AlreadyReported() {
      super(null, null, false, false);
    }
  }

  private final List<Map<String, Var>> layers = new ArrayList<>();
  private final List<String> layerNames = new ArrayList<>();
  // Each Var of a layer is one object: by identity, which also spares each start of pmj a record's
  // generated hashCode and equals (made from method handles at run time): on Java 17 about 23
  // classes and 13-17 ms of CPU per start; on Java 25 with its AOT cache, within noise
  // (docs/startup.md).
  private final Map<Var, String> resolved = new java.util.IdentityHashMap<>();
  private final Map<Var, Boolean> failed = new java.util.IdentityHashMap<>();
  private final Deque<Var> resolving = new ArrayDeque<>();
  private final Problems problems;
  private final StringSubstitutor substitutor;

  Variables(Problems problems) {
    this.problems = problems;
    StringLookup lookup = this::lookup;
    substitutor = new StringSubstitutor(lookup);
    substitutor.setValueDelimiterMatcher(null); // defaults are parsed by lookup(), with shell rules
    substitutor.setEnableSubstitutionInVariables(true); // ${A:-${B}}
    substitutor.setDisableSubstitutionInValues(true); // a substituted value is final
    substitutor.setEscapeChar('$');
  }

  /** Adds a layer, searched after those added before it. */
  void addLayer(String name, List<Var> vars) {
    Map<String, Var> map = new LinkedHashMap<>();
    int index = layers.size();
    for (Var v : vars)
      map.put(v.name(), new Var(index, v.name(), v.value(), v.literal(), v.where()));
    layers.add(map);
    layerNames.add(name);
  }

  /** The resolved value of every variable of a layer, in order; failed ones are left out. */
  Map<String, String> resolveLayer(int index) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Var v : layers.get(index).values()) {
      try {
        out.put(v.name(), valueOf(v));
      } catch (AlreadyReported e) {
        // reported at the variable
      } catch (TemplateError e) {
        problems.add(v.where().file(), v.where().mark(), v.where().path(), e.getMessage());
      }
    }
    return out;
  }

  /**
   * Resolves a template written at {@code where}. Returns null when it has a problem; the problem
   * is then reported, at {@code where} or at the variable it comes from.
   */
  String resolve(String template, Where where) {
    try {
      return substitutor.replace(template);
    } catch (TemplateError e) {
      problems.add(where.file(), where.mark(), where.path(), e.getMessage());
    } catch (AlreadyReported e) {
      // reported at the variable
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(
          where.file(), where.mark(), where.path(), "cannot substitute: " + e.getMessage());
    }
    return null;
  }

  private String valueOf(Var v) {
    String done = resolved.get(v);
    if (done != null) return done;
    if (failed.containsKey(v)) throw new AlreadyReported();
    if (v.literal()) {
      Matcher m = LOOKUP_PREFIX.matcher(v.value());
      if (m.find()) {
        // Reported where it is used: that is the line the user can change.
        String from =
            v.where().mark() == null
                ? "the environment"
                : (v.where().mark().file() != null ? v.where().mark().file() : v.where().file())
                    + ":"
                    + v.where().mark().line();
        throw new TemplateError(
            v.name()
                + " (from "
                + from
                + ") contains "
                + lookupText(v.value(), m.start())
                + ", an interpolator lookup; only plain variables like ${NAME} exist, and lookups are never evaluated");
      }
      resolved.put(v, v.value());
      return v.value();
    }
    if (isResolving(v)) {
      List<String> chain = new ArrayList<>();
      boolean in = false;
      for (var it = resolving.descendingIterator(); it.hasNext(); ) {
        Var r = it.next();
        if (r.equals(v)) in = true;
        if (in) chain.add(r.name());
      }
      chain.add(v.name());
      throw new TemplateError("variable cycle: " + String.join(" -> ", chain));
    }
    resolving.push(v);
    try {
      String value = substitutor.replace(v.value());
      resolved.put(v, value);
      return value;
    } catch (TemplateError e) {
      fail(v, e.getMessage());
      throw new AlreadyReported();
    } finally {
      resolving.pop();
    }
  }

  private boolean isResolving(Var v) {
    for (Var r : resolving) if (r == v) return true;
    return false;
  }

  private void fail(Var v, String message) {
    failed.put(v, Boolean.TRUE);
    problems.add(v.where().file(), v.where().mark(), v.where().path(), message);
    throw new AlreadyReported();
  }

  /** Called by the substitutor with the text between {@code ${} and {@code }}. */
  private String lookup(String expression) {
    Matcher m = NAME.matcher(expression);
    if (!m.lookingAt()) {
      throw new TemplateError(
          "invalid variable reference ${"
              + expression
              + "}: a name is letters, digits and _, not starting with a digit");
    }
    String name = m.group();
    String rest = expression.substring(m.end());
    String operator = null;
    String fallback = null;
    if (rest.startsWith(":-")) {
      operator = ":-";
      fallback = rest.substring(2);
    } else if (rest.startsWith("-")) {
      operator = "-";
      fallback = rest.substring(1);
    } else if (rest.startsWith(":?") || rest.startsWith("?")) {
      // Required, as in a POSIX shell and compose: ${NAME:?message} (unset or empty),
      // ${NAME?message} (unset); the message is the error.
      boolean orEmpty = rest.startsWith(":?");
      String message = rest.substring(orEmpty ? 2 : 1);
      String value = find(name);
      if (value != null && !(orEmpty && value.isEmpty())) return value;
      throw new TemplateError(
          message.isEmpty()
              ? name
                  + (value == null ? " is not set" : " is empty")
                  + " and is required here (set it in env, an env file or the environment)"
              : message);
    } else if (rest.startsWith(":")) {
      throw new TemplateError(
          "${"
              + expression
              + "} is an interpolator lookup (\""
              + name
              + ":\"); only plain variables like ${NAME} or ${NAME:-default} exist, and lookups are never evaluated");
    } else if (!rest.isEmpty()) {
      throw new TemplateError(
          "invalid variable reference ${"
              + expression
              + "}: write ${NAME}, ${NAME:-default} or ${NAME-default}");
    }
    String value = find(name);
    if (value == null) {
      if (operator != null) return fallback;
      throw new TemplateError(
          ConfigProblem.UNDEFINED
              + name
              + " (set it in env, an env file or the environment, or give a default: ${"
              + name
              + ":-value})");
    }
    if (value.isEmpty() && ":-".equals(operator)) return fallback;
    return value;
  }

  private String find(String name) {
    Var current = resolving.peek();
    int start = current != null && current.name().equals(name) ? current.layer() + 1 : 0;
    for (int i = start; i < layers.size(); i++) {
      Var v = layers.get(i).get(name);
      if (v != null) return valueOf(v);
    }
    return null;
  }

  private static String lookupText(String s, int start) {
    int end = s.indexOf('}', start);
    String t = end < 0 ? s.substring(start) : s.substring(start, end + 1);
    return t.length() > 40 ? t.substring(0, 37) + "..." : t;
  }
}
