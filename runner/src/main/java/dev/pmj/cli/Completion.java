package dev.pmj.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion scripts, written from picocli's model of every command: commands, their options,
 * and process ids asked of the running pmj (or read from the file) when a command takes them,
 * through the hidden {@code pmj __ids}.
 */
final class Completion {
  /**
   * Commands whose arguments are process ids of the running pmj, or of the file for up and exec.
   */
  private static final List<String> RUNNING_IDS =
      List.of("restart", "stop", "start", "logs", "connect");

  /** Of those, the ones that take no "all". */
  private static final List<String> ONE_OR_SOME = List.of("logs", "connect");

  private Completion() {}

  static String script(CompletionCommand.Shell shell, Context context) {
    CommandSpec root = Main.fullTree(context).getCommandSpec();
    return switch (shell) {
      case bash -> bash(root);
      case zsh ->
          "#compdef pmj\n# pmj completion for zsh (pmj completion zsh)\n"
              + "autoload -U +X bashcompinit && bashcompinit\n"
              + bash(root).replaceFirst("^# pmj completion for bash[^\\n]*\\n", "");
      case fish -> fish(root);
    };
  }

  private static List<String> commands(CommandSpec root) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : root.subcommands().entrySet()) {
      if (!e.getValue().getCommandSpec().usageMessage().hidden()) out.add(e.getKey());
    }
    return out;
  }

  private static List<String> options(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) continue;
      for (String n : o.names()) out.add(n);
    }
    return out;
  }

  private static String bash(CommandSpec root) {
    StringBuilder sb = new StringBuilder();
    sb.append("# pmj completion for bash (pmj completion bash)\n");
    sb.append("_pmj() {\n");
    sb.append(
        "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" i\n");
    sb.append("  for ((i = 1; i < COMP_CWORD; i++)); do\n");
    sb.append("    case \"${COMP_WORDS[i]}\" in\n");
    sb.append("      -f | --file) [ -z \"$cmd\" ] && ((i++)) ;;\n");
    sb.append("      -*) ;;\n");
    sb.append("      *) [ -z \"$cmd\" ] && cmd=\"${COMP_WORDS[i]}\" ;;\n");
    sb.append("    esac\n");
    sb.append("  done\n");
    sb.append(
        "  if [ -z \"$cmd\" ] && { [ \"$prev\" = -f ] || [ \"$prev\" = --file ]; } || [ \"$prev\" = --file ]; then\n");
    sb.append("    COMPREPLY=($(compgen -f -- \"$cur\"))\n");
    sb.append("    return\n");
    sb.append("  fi\n");
    sb.append("  case \"$cmd\" in\n");
    sb.append("    \"\") COMPREPLY=($(compgen -W \"")
        .append(String.join(" ", commands(root)))
        .append(' ')
        .append(String.join(" ", options(root)))
        .append("\" -- \"$cur\")) ;;\n");
    for (String name : commands(root)) {
      CommandSpec spec = root.subcommands().get(name).getCommandSpec();
      String words = String.join(" ", options(spec));
      String args = "";
      if (RUNNING_IDS.contains(name))
        args = " $(pmj __ids 2>/dev/null)" + (ONE_OR_SOME.contains(name) ? "" : " all");
      if (name.equals("up") || name.equals("exec")) args = " $(pmj __ids --file-ids 2>/dev/null)";
      if (name.equals("completion")) args = " bash zsh fish";
      sb.append("    ")
          .append(name)
          .append(") COMPREPLY=($(compgen -W \"")
          .append(words)
          .append(args)
          .append("\" -- \"$cur\")) ;;\n");
    }
    sb.append("  esac\n");
    sb.append("}\n");
    sb.append("complete -F _pmj pmj\n");
    return sb.toString();
  }

  private static String fish(CommandSpec root) {
    StringBuilder sb = new StringBuilder();
    sb.append("# pmj completion for fish (pmj completion fish)\n");
    sb.append("complete -c pmj -f\n");
    List<String> commands = commands(root);
    for (String name : commands) {
      CommandSpec spec = root.subcommands().get(name).getCommandSpec();
      sb.append("complete -c pmj -n __fish_use_subcommand -a ")
          .append(name)
          .append(" -d ")
          .append(fishQuote(first(spec.usageMessage().description())))
          .append('\n');
    }
    for (OptionSpec o : root.options()) fishOption(sb, "__fish_use_subcommand", o);
    for (String name : commands) {
      CommandSpec spec = root.subcommands().get(name).getCommandSpec();
      String when = "'__fish_seen_subcommand_from " + name + "'";
      for (OptionSpec o : spec.options()) fishOption(sb, when, o);
      if (RUNNING_IDS.contains(name)) {
        sb.append("complete -c pmj -n ")
            .append(when)
            .append(" -a '(pmj __ids 2>/dev/null)")
            .append(ONE_OR_SOME.contains(name) ? "" : " all")
            .append("'\n");
      } else if (name.equals("up") || name.equals("exec")) {
        sb.append("complete -c pmj -n ")
            .append(when)
            .append(" -a '(pmj __ids --file-ids 2>/dev/null)'\n");
      } else if (name.equals("completion")) {
        sb.append("complete -c pmj -n ").append(when).append(" -a 'bash zsh fish'\n");
      }
    }
    return sb.toString();
  }

  private static void fishOption(StringBuilder sb, String when, OptionSpec o) {
    if (o.hidden()) return;
    sb.append("complete -c pmj -n ").append(when);
    for (String n : o.names()) {
      if (n.startsWith("--")) sb.append(" -l ").append(n.substring(2));
      else if (n.length() == 2) sb.append(" -s ").append(n.substring(1));
      else sb.append(" -o ").append(n.substring(1));
    }
    if (o.arity().max() > 0)
      sb.append(o.names()[0].equals("-f") || o.longestName().equals("--file") ? " -r -F" : " -r");
    sb.append(" -d ").append(fishQuote(first(o.description()))).append('\n');
  }

  private static String first(String[] description) {
    return description.length == 0 ? "" : description[0];
  }

  private static String fishQuote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
