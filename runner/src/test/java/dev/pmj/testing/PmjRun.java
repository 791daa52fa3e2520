package dev.pmj.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's project: a temporary folder, its {@code pmj.yaml}, the pmj processes started in it
 * and, after the test, the check that nothing any of them started is left running. Registered per
 * test instance:
 *
 * <pre>
 * {@literal @}RegisterExtension final PmjRun run = new PmjRun();
 * final Path dir = run.dir();
 * ...
 * run.write(YAML);
 * PmjProcess pmj = run.up();   // closed after the test (its close() fails on leftovers)
 * </pre>
 *
 * A process may still be closed by the test itself (try-with-resources): closing twice is harmless.
 * Tags of processes started some other way (a terminal, a background pmj) are checked too once
 * given to {@link #watch(String)}.
 */
public final class PmjRun implements AfterEachCallback {
  private static final Duration LEFT_WAIT = Duration.ofSeconds(10);

  /**
   * Two processes of testdata/: {@code ticker} prints a tick every {@code every} seconds, {@code
   * quiet} prints "quiet here" once and stays.
   */
  public static String tickerAndQuiet(String every) {
    return """
        processes:
          ticker:
            command: python3 @TESTDATA@/ticker.py %s
          quiet:
            command: python3 @TESTDATA@/echo.py quiet here
        """
        .formatted(every);
  }

  private Path dir;
  private final List<PmjProcess> started = new ArrayList<>();
  private final List<String> tags = new ArrayList<>();
  private final List<AutoCloseable> before = new ArrayList<>();

  /** The project folder, made on first use and removed after the test. */
  public synchronized Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("pmj-run-").toRealPath();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** Writes {@code pmj.yaml}; {@code @TESTDATA@} stands for the testdata folder. */
  public Path write(String yaml) throws IOException {
    return Fixtures.writeConfig(dir(), yaml);
  }

  /**
   * Writes {@code pmj.yaml} beside it and renames it over, as editors save: a running pmj's watch
   * sees one change of a whole file.
   */
  public Path save(String yaml) throws IOException {
    Path tmp = dir().resolve("pmj.yaml.tmp");
    Files.writeString(tmp, yaml.replace("@TESTDATA@", Fixtures.testdataDir().toString()));
    return Files.move(
        tmp,
        dir().resolve("pmj.yaml"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code pmj up ARGS...} as a real process in the project folder. */
  public PmjProcess up(String... args) throws IOException {
    String[] full = new String[args.length + 1];
    full[0] = "up";
    System.arraycopy(args, 0, full, 1, args.length);
    return start(full);
  }

  /**
   * {@code pmj up} as a real process, once a line matching each of {@code lines} (in order) is on
   * its stdout.
   */
  public PmjProcess upUntil(Duration timeout, String... lines) throws IOException {
    PmjProcess pmj = up();
    for (String line : lines) pmj.awaitLine(line, timeout);
    return pmj;
  }

  /** {@code pmj ARGS...} as a real process in the project folder. */
  public PmjProcess start(String... args) throws IOException {
    return started(PmjProcess.start(dir(), args));
  }

  /** {@code pmj ARGS...} as a real process in the project folder, with more environment. */
  public PmjProcess start(Map<String, String> env, String... args) throws IOException {
    return started(PmjProcess.start(dir(), env, args));
  }

  /** A pmj process started some other way, closed and checked after the test as these are. */
  public synchronized PmjProcess started(PmjProcess pmj) {
    started.add(pmj);
    return pmj;
  }

  /** A command typed in the project folder, run in this JVM. */
  public Cli.Run cli(String... args) {
    return Cli.run(dir(), args);
  }

  /**
   * Checks after the test that no process carrying {@code tag} is left (for processes started
   * without {@link PmjProcess}: a terminal, a script).
   */
  public synchronized String watch(String tag) {
    tags.add(tag);
    return tag;
  }

  /** Closed after the test before the leftover check (a terminal whose shell started pmj). */
  public synchronized <T extends AutoCloseable> T closeFirst(T resource) {
    before.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<Throwable> failures = new ArrayList<>();
    for (AutoCloseable c : before) {
      try {
        c.close();
      } catch (Exception | AssertionError e) {
        failures.add(e);
      }
    }
    // Each close() ends its pmj if it still runs and fails when a process it started is left.
    for (PmjProcess p : started) {
      try {
        p.close();
      } catch (RuntimeException | AssertionError e) {
        failures.add(e);
      }
    }
    for (String tag : tags) {
      List<String> left = Leftovers.awaitNone(tag, LEFT_WAIT);
      Leftovers.killAll(tag);
      try {
        assertEquals(List.of(), left, "processes left behind");
      } catch (AssertionError e) {
        failures.add(e);
      }
    }
    if (dir != null && Files.exists(dir)) delete(dir);
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      for (Throwable t : failures.subList(1, failures.size())) first.addSuppressed(t);
      if (first instanceof Exception e) throw e;
      throw (Error) first;
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a folder made unreadable or a file still written by a dying process: left in /tmp
        }
      }
    }
  }
}
