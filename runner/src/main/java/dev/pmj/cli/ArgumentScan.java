package dev.pmj.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a command line says before picocli reads it: the command, the ecosystem file (-f/--file) and
 * whether the line is plain enough to run without picocli. Building picocli's model costs about 60
 * ms of a start on two cores, so the start-up paths of {@link Main} read this instead: to run a
 * plain line at once, to start loading the file while picocli parses, and to give picocli only the
 * command being run. It reads a line the way picocli does (ArgumentScanTest holds both to the same
 * lines); where picocli would reject the line, picocli runs and says why.
 *
 * @param command the command picocli parses the rest of the line with; null when there is none
 * @param mistyped the first word where the command belongs when it names none, else null
 * @param files the values of -f/--file in order (they merge left to right, before the command and
 *     after it alike), empty when none is given or when {@code fileKnown} is false
 * @param fileKnown false when a cluster of the command's short options (up -df FILE) may hold -f:
 *     only picocli knows which of them take a value
 * @param words the words after the command (its ids), when the line is plain
 * @param plain only the command, words and at most one {@code -f FILE} or {@code --file FILE} (FILE
 *     neither empty nor like an option): the command can run with its options' defaults
 */
record ArgumentScan(
    String command,
    String mistyped,
    List<String> files,
    boolean fileKnown,
    List<String> words,
    boolean plain) {

  /** pmj's own options, before the command (mixinStandardHelpOptions and CommonOptions). */
  private static final Set<String> GLOBAL =
      Set.of("-f", "--file", "--debug", "-h", "--help", "-V", "--version");

  /** Reads {@code args} as picocli reads pmj's command line. */
  static ArgumentScan of(String... args) {
    Scanner s = new Scanner(args);
    s.global();
    return new ArgumentScan(
        s.command,
        s.mistyped,
        s.fileKnown ? List.copyOf(s.files) : List.of(),
        s.fileKnown,
        List.copyOf(s.words),
        s.command != null
            && s.plain
            && (s.files.isEmpty() || !s.files.get(0).isEmpty() && !s.files.get(0).startsWith("-")));
  }

  private static final class Scanner {
    private final String[] args;
    private int i;
    String command;
    String mistyped;
    final List<String> files = new ArrayList<>();
    boolean fileKnown = true;
    final List<String> words = new ArrayList<>();
    boolean plain = true;

    Scanner(String[] args) {
      this.args = args;
    }

    /** pmj's options, up to the command. */
    void global() {
      for (; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--")) {
          // The rest would be pmj's own positional parameters, and it takes none; a word there
          // that names no command is still the typo to correct.
          for (i++; i < args.length; i++) {
            if (args[i].startsWith("-")) continue;
            if (!PmjCommand.COMMANDS.containsKey(args[i])) mistyped = args[i];
            return;
          }
          return;
        } else if (a.equals("-f") || a.equals("--file")) {
          // picocli takes no option of pmj as the value; a command's name it does (a file named
          // ps is a file: Main lets picocli take a command's name as an option's value).
          if (i + 1 == args.length || isGlobalOption(args[i + 1])) return;
          file(args[++i], true);
        } else if (a.startsWith("--file=")) {
          file(a.substring("--file=".length()), false);
        } else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1) {
          if (!shortCluster(a)) return;
        } else if (a.startsWith("-")) {
          // --debug, --help, --version; an unknown one makes picocli fail after reading the rest.
          plain = false;
        } else if (PmjCommand.COMMANDS.containsKey(a)) {
          command = a;
          i++;
          ofCommand();
          return;
        } else {
          mistyped = a;
          return;
        }
      }
    }

    /**
     * A cluster of pmj's short options (-h, -V, -f with its value attached or next); false when its
     * -f has no value picocli would take.
     */
    private boolean shortCluster(String a) {
      plain = false;
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if (c == 'h' || c == 'V') continue;
        if (c != 'f') return true; // unknown: picocli fails after reading the rest
        String value = a.substring(j + 1);
        if (value.startsWith("=")) {
          value = value.substring(1);
        } else if (value.isEmpty()) {
          if (i + 1 == args.length || isGlobalOption(args[i + 1])) return false;
          value = args[++i];
        }
        file(value, false);
        return true;
      }
      return true;
    }

    /** The command's own arguments: its words, and its -f/--file among its other options. */
    private void ofCommand() {
      // import takes the file to convert as its argument; for logs -f is --follow.
      boolean longName = !command.equals("import");
      boolean shortName = longName && !command.equals("logs");
      for (; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--")) {
          plain = false;
          return; // the rest are the command's positional parameters
        } else if (longName && a.equals("--file") || shortName && a.equals("-f")) {
          if (i + 1 == args.length) {
            plain = false;
            return;
          }
          file(args[++i], true);
        } else if (longName && a.startsWith("--file=")) {
          file(a.substring("--file=".length()), false);
        } else if (shortName && a.startsWith("-f") && !a.startsWith("--")) {
          String value = a.substring(2);
          file(value.startsWith("=") ? value.substring(1) : value, false);
        } else if (shortName && a.startsWith("-") && !a.startsWith("--") && a.indexOf('f') > 0) {
          // -df FILE: which of the command's short options take a value only picocli knows.
          plain = false;
          fileKnown = false;
        } else if (a.startsWith("-") || a.isEmpty()) {
          plain = false;
        } else {
          words.add(a);
        }
      }
    }

    private void file(String value, boolean split) {
      files.add(value);
      if (!split || files.size() > 1) plain = false;
    }
  }

  /** An option of pmj picocli would not take as the value of -f. */
  private static boolean isGlobalOption(String a) {
    if (GLOBAL.contains(a) || a.startsWith("--file=") || a.startsWith("--debug=")) return true;
    return a.length() > 1 && a.charAt(0) == '-' && "hVf".indexOf(a.charAt(1)) >= 0;
  }
}
