package dev.pmj.cli;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.ConfigProblem;
import dev.pmj.config.LoadResult;
import dev.pmj.config.Sources;
import dev.pmj.os.Platform;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What every command needs from the outside world, and the options shared by all of them. */
final class Context {
  final PrintStream out;
  final PrintStream err;
  final InputStream in;
  final Map<String, String> env;
  final Path workingDir;

  /** Whether stdout is a terminal (false for in-process runs with captured streams). */
  final boolean stdoutIsTerminal;

  /** The files of -f/--file, by the option that gave them, in the order given. */
  private final Map<Object, java.util.List<Path>> files = new java.util.LinkedHashMap<>();

  private boolean debug;

  /** The arguments pmj was started with (pmj up -d starts itself again with them). */
  String[] args = new String[0];

  Context(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Path workingDir,
      boolean stdoutIsTerminal) {
    this.stdoutIsTerminal = stdoutIsTerminal;
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
    this.workingDir = workingDir;
  }

  /**
   * Whether the user types here: stdin and stdout are this process's terminal and TERM names one
   * (attach and connect take the terminal over; elsewhere they say what to use instead).
   */
  boolean typesAtATerminal() {
    String term = env.get("TERM");
    return stdoutIsTerminal
        && in == System.in
        && Platform.stdinIsTerminal()
        && term != null
        && !term.isEmpty()
        && !term.equals("dumb");
  }

  /** The files an occurrence of -f/--file (before the command, or its own) has given so far. */
  void files(Object option, java.util.List<Path> given) {
    files.put(option, java.util.List.copyOf(given));
  }

  /** The one file of a plain line. */
  void file(Path file) {
    files(this, java.util.List.of(file));
  }

  /** The files given with -f, in order, resolved against the working folder; empty when none. */
  java.util.List<Path> explicitFiles() {
    java.util.List<Path> out = new java.util.ArrayList<>();
    for (java.util.List<Path> l : files.values()) for (Path p : l) out.add(workingDir.resolve(p));
    return out;
  }

  void debug(boolean debug) {
    this.debug = debug;
  }

  boolean debug() {
    return debug;
  }

  private ConfigLoader loader;

  /** The loader of this run's files (one: it holds nothing between loads). */
  synchronized ConfigLoader loader() {
    if (loader == null) {
      loader =
          new ConfigLoader(
              env,
              workingDir,
              Platform.isWindows(),
              (file, text) -> dev.pmj.convert.Import.translator().translate(file, text));
    }
    return loader;
  }

  /** The first file given with -f, if any. */
  Optional<Path> locateExplicitFile() {
    return explicitFiles().stream().findFirst();
  }

  /**
   * The ecosystem file: the first -f, else discovered from the working folder up. Its folder is the
   * project's: control commands find the running pmj there.
   */
  Optional<Path> locateFile() {
    Optional<Path> given = locateExplicitFile();
    return given.isPresent() ? given : Sources.discover(workingDir);
  }

  /** The files to load, merged left to right: every -f, else the one discovered; empty if none. */
  java.util.List<Path> locateFiles() {
    java.util.List<Path> given = explicitFiles();
    return given.isEmpty()
        ? locateFile().map(java.util.List::of).orElse(java.util.List.of())
        : given;
  }

  /** A load started before the command line was parsed, and the file it reads. */
  private record EarlyLoad(java.util.List<Path> files, CompletableFuture<LoadResult> result) {}

  private EarlyLoad early;

  /**
   * Starts loading {@code file} on another thread now. Parsing the command line takes about as long
   * as loading the file, and a start of pmj is judged in milliseconds: on two cores the two run
   * side by side. {@link #load()} uses this result when it asks for the same file.
   */
  void loadEarly(java.util.List<Path> files) {
    ConfigLoader loader = loader();
    CompletableFuture<LoadResult> result =
        dev.pmj.os.OwnThread.supply("pmj-load", () -> loader.load(files));
    early = new EarlyLoad(java.util.List.copyOf(files), result);
  }

  /** Loads the project, printing problems; null when it could not be loaded. */
  LoadResult load() {
    java.util.List<Path> located = locateFiles();
    if (located.isEmpty()) {
      err.println(
          "pmj: no pmj.yaml, pmj.yml or pmj.json in "
              + workingDir
              + " or its parents (create one with 'pmj init', or pass -f FILE)");
      return null;
    }
    LoadResult result =
        early != null && early.files().equals(located)
            ? early.result().join()
            : loader().load(located);
    for (ConfigProblem p : result.problems()) err.println(p.format());
    for (String w : result.warnings()) err.println("pmj: warning: " + w);
    return result;
  }
}
