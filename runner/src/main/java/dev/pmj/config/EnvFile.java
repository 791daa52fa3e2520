package dev.pmj.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses env files (a problem names the file, line and what is wrong, never the line's text: an env
 * file holds secrets, and a private key pasted by mistake must not reach a terminal or a log):
 * {@code KEY=VALUE}, {@code export KEY=VALUE}, single quotes (literal, no templates), double quotes
 * (escapes {@code \n \t \" \\ \$}; may span lines), unquoted values (trimmed; {@code #} after a
 * space starts a comment), {@code #} comment lines and blank lines.
 */
final class EnvFile {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("^[ \\t]*(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=[ \\t]*");

  private static final Pattern NAMED =
      Pattern.compile("^[ \\t]*(?:export[ \\t]+)?([^\\s=#]+)[ \\t]*=");

  /** One variable; {@code literal} values (single-quoted) are never templated. */
  record Line(String key, String value, boolean literal, Mark mark) {}

  private EnvFile() {}

  static List<Line> parse(String text, String file, Problems problems) {
    List<Line> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
      Matcher m = ASSIGNMENT.matcher(line);
      if (!m.find()) {
        Matcher named = NAMED.matcher(line);
        problems.add(
            file,
            new Mark(i + 1, 1 + indent(line)),
            "",
            named.find()
                ? "invalid variable name (use letters, digits and _, not starting with a digit)"
                : "expected KEY=VALUE, such as PORT=8000");
        continue;
      }
      String key = m.group(1);
      Mark mark = new Mark(i + 1, m.start(1) + 1);
      String rest = line.substring(m.end());
      int valueColumn = m.end() + 1;
      if (rest.startsWith("'") || rest.startsWith("\"")) {
        char q = rest.charAt(0);
        StringBuilder value = new StringBuilder();
        int lineNo = i;
        String current = rest.substring(1);
        boolean closed = false;
        String after = "";
        while (true) {
          int j = 0;
          for (; j < current.length(); j++) {
            char c = current.charAt(j);
            if (c == q) {
              closed = true;
              break;
            }
            if (q == '"' && c == '\\' && j + 1 < current.length()) {
              char escaped = current.charAt(++j);
              // \$ is a dollar that starts no variable: $${ is how a template writes a literal ${.
              boolean brace = j + 1 < current.length() && current.charAt(j + 1) == '{';
              value.append(escaped == '$' ? (brace ? "$$" : "$") : unescape(escaped));
              continue;
            }
            value.append(c);
          }
          if (closed) {
            after = current.substring(j + 1).strip();
            break;
          }
          if (lineNo + 1 >= lines.length) break;
          value.append('\n');
          current = lines[++lineNo];
        }
        if (!closed) {
          problems.add(
              file,
              new Mark(i + 1, valueColumn),
              "",
              key + ": unclosed " + (q == '\'' ? "single" : "double") + " quote");
          i = lines.length;
          continue;
        }
        if (!after.isEmpty() && !after.startsWith("#")) {
          problems.add(
              file, new Mark(lineNo + 1, 1), "", key + ": unexpected text after the closing quote");
        }
        out.add(new Line(key, value.toString(), q == '\'', mark));
        i = lineNo;
      } else {
        String value = rest;
        int hash = indexOfComment(value);
        if (hash >= 0) value = value.substring(0, hash);
        out.add(new Line(key, value.strip(), false, mark));
      }
    }
    return out;
  }

  private static String unescape(char c) {
    switch (c) {
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case 'r':
        return "\r";
      case '"':
      case '\\':
        return String.valueOf(c);
      default:
        return "\\" + c;
    }
  }

  private static int indexOfComment(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) == '#' && (i == 0 || v.charAt(i - 1) == ' ' || v.charAt(i - 1) == '\t'))
        return i;
    }
    return -1;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) n++;
    return n;
  }

  static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
