package dev.pmj.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Procfile (foreman, honcho, overmind): {@code name: command} lines, split on the first colon,
 * comments and other lines skipped as foreman skips them. Commands run through the shell, as there
 * ($PORT, &&, redirects); each process gets foreman's PORT (5000 or the .env's PORT, then 100 more
 * for each next process); a .env beside the file is read. A name used twice is renamed (web-2),
 * with a warning: foreman would run both, honcho refuses the file, pmj needs one id per process.
 */
final class Procfiles {
  private static final Pattern ENTRY = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.+)$");

  private Procfiles() {}

  static Draft read(Path file, String text) {
    String name = file.getFileName().toString();
    Draft d = new Draft(name);
    d.header.add(
        "Imported from " + name + " (a Procfile: foreman, honcho, overmind) by pmj import.");
    d.header.add(
        "Each command runs through the shell, as it did there; the comments say what differs.");
    int port = 5000;
    Path dotenv = file.resolveSibling(".env");
    if (Files.isRegularFile(dotenv)) {
      d.top.put("envFile", java.util.List.of(".env"));
      port = basePort(dotenv);
    }
    d.header.add(
        "PORT is set as foreman sets it: "
            + port
            + " for the first process, 100 more for each next one.");
    int line = 0;
    for (String raw : text.replace("\r\n", "\n").split("\n", -1)) {
      line++;
      String l = raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
      if (l.isBlank() || l.stripLeading().startsWith("#")) continue;
      Matcher m = ENTRY.matcher(l);
      if (!m.matches()) {
        d.warn(
            name
                + ":"
                + line
                + ": not a NAME: COMMAND line, skipped as foreman skips it: "
                + shorten(l));
        d.topNotes.add("line " + line + " skipped (not NAME: COMMAND): " + shorten(l));
        continue;
      }
      Draft.Proc p = d.process(m.group(1), name + ":" + line);
      String command = m.group(2);
      p.put("command", Templates.literal(command));
      p.put("shell", true);
      // foreman's PORT, and PS: the name of the process as foreman shows it.
      java.util.Map<String, Object> env = new java.util.LinkedHashMap<>();
      env.put("PORT", Integer.toString(port));
      env.put("PS", m.group(1) + ".1");
      p.put("env", env);
      port += 100;
      if (m.group(1).equals("release")) {
        p.put("restart", "never");
        p.note("Heroku runs release once, before the others; here it runs once at pmj up");
      }
    }
    if (d.processes.isEmpty()) {
      d.warn("no line has the form NAME: COMMAND (foreman finds no process either)");
    }
    return d;
  }

  /** Every entry a NAME: COMMAND line, every value text: a Procfile that YAML happens to read. */
  static boolean isProcfile(Map<String, Object> top, String text) {
    for (Object v : top.values()) if (!(v instanceof String)) return false;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      if (!ENTRY.matcher(line.replace("\r", "")).matches()) return false;
    }
    return true;
  }

  /** foreman's first port: PORT of the .env, else 5000. */
  private static int basePort(Path dotenv) {
    try {
      for (String l : Files.readAllLines(dotenv)) {
        Matcher m =
            Pattern.compile("^\\s*(?:export\\s+)?PORT\\s*=\\s*[\"']?([0-9]{1,5})[\"']?\\s*$")
                .matcher(l);
        if (m.matches()) return Integer.parseInt(m.group(1));
      }
    } catch (java.io.IOException | RuntimeException e) {
      // unreadable: pmj up says why when it reads the file
    }
    return 5000;
  }

  private static String shorten(String s) {
    String t = s.strip();
    return t.length() > 60 ? t.substring(0, 57) + "..." : t;
  }
}
