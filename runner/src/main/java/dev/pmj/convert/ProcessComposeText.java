package dev.pmj.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * process-compose's text as pmj's: Go templates of the simplest kinds rendered from vars, $VAR and
 * ${VAR} as pmj's templates (unless disable_env_expansion), commands run through the file's shell.
 * One per file; {@link #startProcess} switches to a process's vars.
 */
final class ProcessComposeText {
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

  ProcessComposeText(Map<String, Object> doc) {
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

  /** A process's vars over the file's, and no template left unrendered yet. */
  void startProcess(Map<String, Object> src) {
    vars = new LinkedHashMap<>(globalVars);
    vars.putAll(strings(Values.map(src.get("vars"))));
    templatesLeft = false;
  }

  /** Whether a template of the process could not be rendered and was kept as text. */
  boolean templatesLeft() {
    return templatesLeft;
  }

  /** A command line run through the file's shell: the shell's words, then the text. */
  List<String> throughShell(String text) {
    List<String> argv = new ArrayList<>(shell);
    argv.add(text);
    return argv;
  }

  /**
   * Text for the shell (command, entrypoint, exec probe): Go templates rendered from vars;
   * process-compose then expands $VAR and takes $$ for $, as the shell expands $VAR: $$ becomes $
   * and the shell does the rest.
   */
  String shellText(String s) {
    if (s == null) return "";
    String t = render(s);
    return Templates.literal(expand ? t.replace("$$", "$") : t);
  }

  /**
   * A value pmj templates (working_dir, environment, log_location, probe addresses): $VAR and
   * ${VAR} as pmj's ${VAR:-} (unset is empty there too), $$ as $.
   */
  String value(String s) {
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
  String render(String s) {
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
  static String regexOf(String text) {
    return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
  }

  Map<String, String> env(Draft d, Draft.Proc p, String where, List<String> items) {
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
}
