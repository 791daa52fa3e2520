package dev.pmj.cli;

import dev.pmj.os.Platform;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point: parses the command line and runs one command. Streams, environment and working
 * folder come in through the constructor so tests run commands in-process.
 */
public final class Main {
  /** The outside world of one run: each run gets its own context, for its own options. */
  private final java.util.function.Supplier<Context> contexts;

  public Main(
      PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path workingDir) {
    this(out, err, in, env, workingDir, false);
  }

  private Main(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Path workingDir,
      boolean stdoutIsTerminal) {
    Path dir = workingDir.toAbsolutePath().normalize();
    this.contexts = () -> new Context(out, err, in, env, dir, stdoutIsTerminal);
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code =
        new Main(out, err, System.in, System.getenv(), Path.of(""), Platform.stdoutIsTerminal())
            .run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns the exit code. */
  public int run(String... args) {
    Context context = contexts.get();
    context.args = args.clone();
    PrintStream out = context.out;
    PrintStream err = context.err;
    ArgumentScan line = ArgumentScan.of(args);
    java.util.concurrent.Callable<Integer> plain = plain(context, line);
    if (plain != null) return execute(context, plain);
    String named = line.command();
    if (line.fileKnown()
        && ("up".equals(named)
            || "validate".equals(named)
            || "config".equals(named)
            || "exec".equals(named))) {
      if (!line.files().isEmpty()) {
        context.loadEarly(line.files().stream().map(context.workingDir::resolve).toList());
      } else {
        dev.pmj.config.Sources.discover(context.workingDir)
            .ifPresent(f -> context.loadEarly(java.util.List.of(f)));
      }
    }
    ContextFactory factory = new ContextFactory(context);
    CommandLine cli = new CommandLine(new PmjCommand(context), factory);
    // picocli reflects over every command it is given, and its classes cannot be kept in the
    // class-data archive: give it only the command being run (all of them for help and typos).
    for (Map.Entry<String, Class<?>> c : PmjCommand.COMMANDS.entrySet()) {
      if (named == null || named.equals(c.getKey())) addCommand(cli, context, factory, c);
    }
    // -f's value is a file even when it is named like a command (pmj -f ps validate), whether
    // picocli was given one command or all of them.
    cli.setAllowSubcommandsAsOptionParameters(true);
    // Only where help may be printed: every other line starts without it.
    if (named == null || java.util.Arrays.asList(args).stream().anyMatch(HelpWrap::asksForHelp)) {
      HelpWrap.install(cli);
    }
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("pmj: " + ex.getMessage());
          String command = named == null ? line.mistyped() : null;
          if (command != null) {
            // The one closest command, as for keys of the file (picocli offers every near one).
            String closest =
                dev.pmj.config.Suggestions.closest(
                    command,
                    PmjCommand.COMMANDS.keySet().stream()
                        .filter(k -> !k.startsWith("__"))
                        .toList());
            if (closest != null) err.println("Did you mean: pmj " + closest + "?");
          } else {
            CommandLine.UnmatchedArgumentException.printSuggestions(
                ex, new java.io.PrintWriter(err, true));
          }
          err.println("Run 'pmj --help' for usage.");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler((ex, c, parsed) -> internalError(context, ex));
    return cli.execute(args);
  }

  private static int internalError(Context context, Exception ex) {
    PrintStream err = context.err;
    err.println("pmj: internal error: " + ex);
    if (context.debug()) ex.printStackTrace(err);
    else err.println("Run again with --debug to see where it happened.");
    return ExitCodes.FAILURE;
  }

  private static int execute(Context context, java.util.concurrent.Callable<Integer> command) {
    try {
      return command.call();
    } catch (Exception e) {
      return internalError(context, e);
    }
  }

  /**
   * The command of a line that needs no parsing, ready to run; null for any other line. Such a line
   * is {@code up}, {@code ps}, {@code down}, or {@code restart|stop|start ID...}, with plain words
   * (ids) and at most {@code -f FILE}: its command runs with the options' defaults, without
   * building picocli's model, which costs about 60 ms of a start on two cores. An option, help or a
   * typo goes through picocli as always.
   */
  static java.util.concurrent.Callable<Integer> plain(Context context, ArgumentScan line) {
    if (!line.plain()) return null;
    List<String> words = line.words();
    java.util.concurrent.Callable<Integer> c;
    switch (line.command()) {
      case "up" -> {
        UpCommand up = new UpCommand(context);
        up.ids.addAll(words);
        c = up;
      }
      case "ps" -> c = words.isEmpty() ? new PsCommand(context) : null;
      case "down" -> c = words.isEmpty() ? new DownCommand(context) : null;
      // The start-up caches of pmj up are trained without picocli, as pmj up runs.
      case "__warmup" -> c = words.size() == 1 ? new WarmupCommand(context, words.get(0)) : null;
      case "restart", "stop", "start" -> {
        if (words.isEmpty()) return null;
        ProcessCommand p =
            switch (line.command()) {
              case "restart" -> new ProcessCommand.Restart(context);
              case "stop" -> new ProcessCommand.Stop(context);
              default -> new ProcessCommand.Start(context);
            };
        p.ids.addAll(words);
        c = p;
      }
      default -> c = null;
    }
    if (c != null && !line.files().isEmpty()) {
      try {
        context.file(Path.of(line.files().get(0)));
      } catch (java.nio.file.InvalidPathException e) {
        return null; // picocli says what is wrong with it
      }
    }
    return c;
  }

  /** Every command, as picocli models them (for completion scripts). */
  static CommandLine fullTree(Context context) {
    ContextFactory factory = new ContextFactory(context);
    CommandLine cli = new CommandLine(new PmjCommand(context), factory);
    for (Map.Entry<String, Class<?>> c : PmjCommand.COMMANDS.entrySet()) {
      addCommand(cli, context, factory, c);
    }
    cli.setAllowSubcommandsAsOptionParameters(true);
    return cli;
  }

  private static void addCommand(
      CommandLine cli, Context context, ContextFactory factory, Map.Entry<String, Class<?>> c) {
    CommandLine sub = new CommandLine(createCommand(factory, c.getValue()), factory);
    // import takes the file to convert as its argument: -f would name a second file.
    if (!c.getKey().equals("import")) {
      sub.getCommandSpec().addOption(CommonOptions.fileOption(context, !c.getKey().equals("logs")));
    }
    for (CommandLine nested : sub.getSubcommands().values()) {
      nested.getCommandSpec().addOption(CommonOptions.fileOption(context, true));
    }
    cli.addSubcommand(c.getKey(), sub);
  }

  private static Object createCommand(CommandLine.IFactory factory, Class<?> cls) {
    try {
      return factory.create(cls);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create command " + cls.getSimpleName(), e);
    }
  }

  /** Creates command objects with the shared context. */
  private static final class ContextFactory implements CommandLine.IFactory {
    private final Context context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    ContextFactory(Context context) {
      this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Context.class).newInstance(context);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }
}
