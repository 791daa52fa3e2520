package dev.pmj.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * pmj running as a real OS process (a JVM on the test class path), its stdout and stderr collected.
 * Every process it starts carries a unique tag in its environment, so that {@link #close()} can
 * prove none is left.
 */
public final class PmjProcess implements AutoCloseable {
  public final String tag = "pmj-test-" + UUID.randomUUID();
  private final Process process;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread outReader;
  private final Thread errReader;

  private PmjProcess(Path dir, Map<String, String> extraEnv, List<String> args) throws IOException {
    this(dir, extraEnv, args, true);
  }

  private PmjProcess(Path dir, Map<String, String> extraEnv, List<String> args, boolean polled)
      throws IOException {
    this(dir, extraEnv, args, polled, null, null);
  }

  private PmjProcess(
      Path dir,
      Map<String, String> extraEnv,
      List<String> args,
      boolean polled,
      Predicate<String> keep,
      Path stdoutFile)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    if (polled) {
      // As the jar's manifest does for java -jar: children's output is polled (os.PollablePipes),
      // a terminal's too (os.Ptys).
      cmd.add("--add-opens");
      cmd.add("java.base/sun.nio.ch=ALL-UNNAMED");
      // As the manifest does too: pmj counts the API's open connections.
      cmd.add("--add-opens");
      cmd.add("jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.pmj.cli.Main");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.remove("NO_COLOR");
    env.remove("FORCE_COLOR");
    env.putAll(extraEnv);
    env.put("PMJ_TEST_TAG", tag);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (stdoutFile != null) pb.redirectOutput(stdoutFile.toFile());
    process = pb.start();
    outReader =
        stdoutFile != null
            ? tail(stdoutFile, stdout, process)
            : keep == null
                ? pump(process.getInputStream(), stdout, "stdout")
                : pumpKeeping(process.getInputStream(), stdout, keep);
    errReader = pump(process.getErrorStream(), stderr, "stderr");
  }

  public static PmjProcess start(Path dir, String... args) throws IOException {
    return new PmjProcess(dir, Map.of(), List.of(args));
  }

  /**
   * pmj as it runs where output pipes cannot be polled (not Linux, or {@code sun.nio.ch} not
   * exported): a thread reads each process's output.
   */
  public static PmjProcess startReadingByThreads(Path dir, String... args) throws IOException {
    return new PmjProcess(dir, Map.of(), List.of(args), false);
  }

  public static PmjProcess start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    return new PmjProcess(dir, new HashMap<>(env), List.of(args));
  }

  /**
   * pmj whose stdout is read as fast as it comes but kept only in the lines {@code keep} accepts:
   * for processes that write more than a test can hold ({@code yes}).
   */
  public static PmjProcess startKeeping(Path dir, Predicate<String> keep, String... args)
      throws IOException {
    return new PmjProcess(dir, Map.of(), List.of(args), true, keep, null);
  }

  /** pmj with its stdout written to {@code file} ({@code pmj up > file}), read as it grows. */
  public static PmjProcess startWithStdoutTo(Path dir, Path file, String... args)
      throws IOException {
    return new PmjProcess(dir, Map.of(), List.of(args), true, null, file);
  }

  private static Thread tail(Path file, ByteArrayOutputStream sink, Process process) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[65536];
              try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                while (true) {
                  boolean ended = !process.isAlive();
                  int n = in.read(buf);
                  if (n > 0) {
                    synchronized (sink) {
                      sink.write(buf, 0, n);
                      sink.notifyAll();
                    }
                  } else if (ended) {
                    return;
                  } else {
                    Thread.sleep(20); // a file has no "more data" event to wait for
                  }
                }
              } catch (IOException e) {
                // gone
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "test-pmj-stdout-file");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Thread pumpKeeping(
      InputStream in, ByteArrayOutputStream sink, Predicate<String> keep) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[65536];
              ByteArrayOutputStream line = new ByteArrayOutputStream();
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                      if (line.size() < 65536) line.write(buf[i]);
                      continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (!keep.test(text)) continue;
                    synchronized (sink) {
                      sink.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
                      sink.notifyAll();
                    }
                  }
                }
              } catch (IOException e) {
                // closed
              }
            },
            "test-pmj-stdout");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[65536];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  synchronized (sink) {
                    sink.write(buf, 0, n);
                    sink.notifyAll();
                  }
                }
              } catch (IOException e) {
                // closed
              }
            },
            "test-pmj-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  public long pid() {
    return process.pid();
  }

  public byte[] stdoutBytes() {
    synchronized (stdout) {
      return stdout.toByteArray();
    }
  }

  public String stdout() {
    return new String(stdoutBytes(), StandardCharsets.UTF_8);
  }

  public String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  public List<String> lines() {
    return List.of(stdout().split("\n", -1));
  }

  /** Waits for a line of stdout that matches {@code regex} (find); fails with the output so far. */
  public String awaitLine(String regex, Duration timeout) {
    Pattern p = Pattern.compile(regex);
    return awaitLine(l -> p.matcher(l).find(), regex, timeout);
  }

  public String awaitLine(Predicate<String> test, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int from = 0;
    synchronized (stdout) {
      while (true) {
        String text = stdout.toString(StandardCharsets.UTF_8);
        int nl;
        while ((nl = text.indexOf('\n', from)) >= 0) {
          String line = text.substring(from, nl);
          from = nl + 1;
          if (test.test(line)) return line;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        try {
          stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    fail(
        "no line matching "
            + what
            + " within "
            + timeout
            + "\n--- stdout:\n"
            + stdout()
            + "\n--- stderr:\n"
            + stderr());
    return null;
  }

  /** Sends a signal to pmj alone (not its group). */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).inheritIO().start();
    kill.waitFor();
  }

  /** Waits for pmj to exit; returns its exit code, or fails with the output after the timeout. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(
          "pmj did not exit within "
              + timeout
              + "\n--- stdout:\n"
              + stdout()
              + "\n--- stderr:\n"
              + stderr());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Ends pmj if it still runs and asserts that no process it started is left. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    List<String> left = Leftovers.awaitNone(tag, Duration.ofSeconds(10));
    if (!left.isEmpty()) {
      Leftovers.killAll(tag);
      fail(
          "processes left behind: "
              + left
              + "\n--- stdout:\n"
              + tail(stdout())
              + "\n--- stderr:\n"
              + stderr());
    }
  }

  private static String tail(String s) {
    return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
  }
}
