package dev.pmj.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Wraps --help text at spaces only. picocli wraps with the JDK's line breaker, which breaks after
 * any dot, inside file names (".pmj/logs/ID.log" became ". / pmj/logs/ID.log", "pmj.json" became
 * "pmj. / json"): each section is laid out on one long line per row instead, then wrapped here at
 * the last space that fits, continuing under the row's text (the description column of an option or
 * a command).
 */
final class HelpWrap {
  static final int WIDTH = 80;

  /** Wide enough that picocli never wraps a row itself. */
  private static final int UNWRAPPED = 10_000;

  private HelpWrap() {}

  /** Whether a command line's argument asks for help (picocli's help options and command). */
  static boolean asksForHelp(String arg) {
    return arg.equals("-h") || arg.equals("--help") || arg.equals("help");
  }

  /** Applies to {@code cli} and every command under it. */
  static void install(CommandLine cli) {
    cli.getCommandSpec().usageMessage().width(UNWRAPPED);
    Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    for (Map.Entry<String, CommandLine.IHelpSectionRenderer> e :
        new ArrayList<>(sections.entrySet())) {
      CommandLine.IHelpSectionRenderer original = e.getValue();
      if (e.getKey().equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
        // picocli lays the synopsis out after its heading, its options whole: its own wrapping.
        sections.put(e.getKey(), help -> atWidth(cli, original, help));
      } else {
        sections.put(e.getKey(), help -> wrap(original.render(help)));
      }
    }
    cli.setHelpSectionMap(sections);
    for (CommandLine sub : cli.getSubcommands().values()) install(sub);
  }

  private static String atWidth(
      CommandLine cli, CommandLine.IHelpSectionRenderer section, CommandLine.Help help) {
    CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
    usage.width(WIDTH);
    try {
      return section.render(help);
    } finally {
      usage.width(UNWRAPPED);
    }
  }

  /** {@code text} with every line longer than {@link #WIDTH} wrapped at spaces. */
  static String wrap(String text) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) out.append('\n');
      out.append(String.join("\n", wrapLine(lines[i])));
    }
    return out.toString();
  }

  private static List<String> wrapLine(String line) {
    List<String> out = new ArrayList<>();
    if (line.length() <= WIDTH) {
      out.add(line);
      return out;
    }
    String rest = line.stripTrailing();
    String indent = " ".repeat(hangingIndent(rest));
    boolean first = true;
    while (rest.length() > WIDTH) {
      int cut = rest.lastIndexOf(' ', WIDTH);
      // Nothing to break at after the indent: a word longer than the line stays whole.
      if (cut <= indent.length()) cut = rest.indexOf(' ', WIDTH);
      if (cut < 0) break;
      out.add(rest.substring(0, cut).stripTrailing());
      rest = indent + rest.substring(cut + 1).stripLeading();
      first = false;
    }
    if (!first || !rest.isBlank()) out.add(rest);
    return out;
  }

  /**
   * Where a row's text starts: after the first gap of two or more spaces that follows text (the
   * description column of " -d, --detach Run in the background…"), else after the leading spaces.
   */
  private static int hangingIndent(String line) {
    int lead = 0;
    while (lead < line.length() && line.charAt(lead) == ' ') lead++;
    int gap = line.indexOf("  ", lead);
    if (gap < 0 || gap > WIDTH / 2) return lead;
    int text = gap;
    while (text < line.length() && line.charAt(text) == ' ') text++;
    return text < WIDTH / 2 ? text : lead;
  }
}
