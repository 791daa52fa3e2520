package dev.pmj.config;

import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Variables.Where;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines of the file: a process's {@code command}, an exec readiness probe and a {@code
 * stopCommand}. Each is a string split into words as a shell would (no expansion) or a list of
 * words, with templates resolved.
 */
final class CommandLines {
  private final String file;
  private final Problems problems;
  private final boolean windows;

  CommandLines(String file, Problems problems, boolean windows) {
    this.file = file;
    this.problems = problems;
    this.windows = windows;
  }

  /**
   * A process's argv: its {@code command} plus {@code args}; with {@code shell}, one line for the
   * shell. Empty after a problem, which is reported.
   */
  List<String> command(
      ConfigNode node, String path, Variables vars, boolean shell, List<String> args) {
    if (shell && node instanceof Scalar s && s.value() instanceof String text) {
      String v = vars.resolve(text, new Where(file, s.mark(), path));
      if (v == null) return List.of();
      StringBuilder line = new StringBuilder(v);
      for (String a : args) line.append(' ').append(Words.quote(a));
      return withShell(line.toString());
    }
    List<String> argv = words(node, path, vars, true);
    if (argv == null) return List.of();
    if (shell && node instanceof ListNode && !argv.isEmpty()) {
      List<String> quoted = new ArrayList<>();
      for (String a : argv) quoted.add(Words.quote(a));
      for (String a : args) quoted.add(Words.quote(a));
      return withShell(String.join(" ", quoted));
    }
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      problems.add(file, node.mark(), path, "command is empty");
      return List.of();
    }
    argv.addAll(args);
    return argv;
  }

  /** An exec probe's or a stopCommand's argv; null after a problem, which is reported. */
  List<String> argv(ConfigNode node, String path, Variables vars) {
    List<String> argv = words(node, path, vars, false);
    if (argv == null) return null;
    if (argv.isEmpty()) {
      problems.add(file, node.mark(), path, "command is empty");
      return null;
    }
    return argv;
  }

  /**
   * The words of a string or a list; null when there are none to use: neither a string nor a list
   * (the schema's check says so), a template or quote problem (reported). A process's command
   * (where {@code ofProcess}) names each list item by its index in messages, shows the line with an
   * unclosed quote, and drops an item whose template fails rather than the whole list.
   */
  private List<String> words(ConfigNode node, String path, Variables vars, boolean ofProcess) {
    List<String> words = new ArrayList<>();
    if (node instanceof Scalar s && s.value() instanceof String text) {
      String v = vars.resolve(text, new Where(file, s.mark(), path));
      if (v == null) return null;
      try {
        words.addAll(Words.split(v));
      } catch (Words.UnclosedQuote e) {
        String shown = ofProcess ? " in \"" + EnvFile.shorten(v) + "\"" : "";
        problems.add(file, s.mark(), path, e.getMessage() + shown);
        return null;
      }
    } else if (node instanceof ListNode list) {
      int i = 0;
      for (ConfigNode item : list.items()) {
        if (item instanceof Scalar s && s.value() instanceof String text) {
          String p = ofProcess ? path + "[" + i + "]" : path;
          String v = vars.resolve(text, new Where(file, s.mark(), p));
          if (v != null) words.add(v);
          else if (!ofProcess) return null;
        }
        i++;
      }
    } else {
      return null;
    }
    return words;
  }

  private List<String> withShell(String line) {
    List<String> argv =
        new ArrayList<>(windows ? List.of("cmd.exe", "/c") : List.of("/bin/sh", "-c"));
    argv.add(line);
    return argv;
  }
}
