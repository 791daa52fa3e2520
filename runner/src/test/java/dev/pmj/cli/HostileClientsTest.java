package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real {@code pmj up} while other programs hold its API's connections open and say nothing, and
 * the CLI against a "pmj" that takes the connection and never answers (issue 18, README, "From a
 * second terminal").
 */
class HostileClientsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML = PmjRun.tickerAndQuiet("0.05");

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();
  private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) s.close();
  }

  private PmjProcess up() throws Exception {
    run.write(YAML);
    return run.upUntil(WAIT, "^pmj +\\| dashboard: ", "^quiet +\\| quiet here$");
  }

  private int port() throws IOException {
    Matcher m =
        Pattern.compile("\"port\":([0-9]+)")
            .matcher(Files.readString(dir.resolve(".pmj/state.json")));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  /** Opens {@code n} connections: every other one sends one byte, the others nothing. */
  private void stall(int port, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      Socket s = new Socket("127.0.0.1", port);
      sockets.add(s);
      if (i % 2 == 0) {
        s.getOutputStream().write('G');
        s.getOutputStream().flush();
      }
    }
  }

  /** Waits (polling pmj ps, with a deadline) until quiet runs with a pid other than {@code old}. */
  private void awaitRestarted(long old) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    Cli.Run after;
    while ((after = Cli.run(dir, "ps")).code() == 0
        && Cli.pidOrNone("quiet", after.out()) == old
        && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertEquals(0, after.code(), after.err());
    assertNotEquals(old, Cli.pidOrNone("quiet", after.out()), "quiet was restarted");
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
    }
    throw new AssertionError("no thread count for " + pid);
  }

  @Test
  void connectionsThatSayNothingLeavePsAndTheProcessesAlone() throws Exception {
    try (PmjProcess pmj = up()) {
      int before = threads(pmj.pid());
      // As many as the API keeps open, but for the one ps needs.
      stall(port(), 127);
      long t0 = System.nanoTime();
      Cli.Run ps = Cli.run(dir, "ps");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(0, ps.code(), ps.err());
      assertEquals("", ps.err());
      System.out.println(
          "pmj ps with 127 silent connections open: "
              + ms
              + " ms; pmj's threads: "
              + before
              + " before, "
              + threads(pmj.pid())
              + " with them");
      assertTrue(ms < 5000, "pmj ps took " + ms + " ms");
      long quiet = Cli.pidOrNone("quiet", ps.out());
      Cli.Run restart = Cli.run(dir, "restart", "quiet");
      assertEquals(0, restart.code(), restart.err());
      awaitRestarted(quiet);
      // The ticker went on printing all along.
      String last = pmj.awaitLine("^ticker +\\| ", WAIT);
      assertTrue(last.startsWith("ticker"));
    }
  }

  @Test
  void threeHundredSilentConnectionsLockPsOutForAMomentAtMost() throws Exception {
    floodOfThreeHundred(false);
  }

  @Test
  void threeHundredOneByteConnectionsLockPsOutForAMomentAtMost() throws Exception {
    floodOfThreeHundred(true);
  }

  /**
   * 300 connections held open by a client that sends nothing more (nothing at all, or one byte):
   * the limit is full and closes new ones at once, so pmj closes the stalled ones after a moment
   * and the CLI, which tries again meanwhile, is answered; the processes go on as usual.
   */
  private void floodOfThreeHundred(boolean oneByte) throws Exception {
    try (PmjProcess pmj = up()) {
      int port = port();
      int before = threads(pmj.pid());
      // The flood is opened on a thread of its own: ps is tried once the limit is full (the worst
      // time, before pmj closes any), and again once all 300 are open.
      java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CompletableFuture<Void> flood =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 300; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    sockets.add(s);
                    if (oneByte) {
                      s.getOutputStream().write('G');
                      s.getOutputStream().flush();
                    }
                    if (i == 128) full.countDown();
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                } finally {
                  full.countDown();
                }
              });
      assertTrue(full.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      boolean seenFull = awaitFull(port);
      String kind = oneByte ? "one-byte" : "silent";
      long t0 = System.nanoTime();
      int with = threads(pmj.pid());
      Cli.Run ps = Cli.run(dir, "ps");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println(
          "pmj ps as 300 "
              + kind
              + " connections open ("
              + (seenFull ? "the limit is full" : "the limit was not seen full")
              + "): "
              + ms
              + " ms");
      assertPs(ps, ms);
      flood.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      t0 = System.nanoTime();
      ps = Cli.run(dir, "ps");
      ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println(
          "pmj ps with 300 "
              + kind
              + " connections open: "
              + ms
              + " ms; pmj's threads: "
              + before
              + " before, "
              + with
              + " with the limit full");
      assertPs(ps, ms);
      pmj.awaitLine(
          "^pmj +\\| the API has 128 connections open, its limit: it closes new ones at once, and"
              + " those that send no whole request within 1 s, until fewer are open$",
          WAIT);
      long quiet = Cli.pidOrNone("quiet", ps.out());
      t0 = System.nanoTime();
      Cli.Run restart = Cli.run(dir, "restart", "quiet");
      assertEquals(0, restart.code(), restart.err());
      System.out.println(
          "pmj restart quiet after the flood: "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms; pmj's threads: "
              + threads(pmj.pid()));
      awaitRestarted(quiet);
      // Its line again, from the new process.
      java.util.concurrent.atomic.AtomicInteger quietLines =
          new java.util.concurrent.atomic.AtomicInteger();
      pmj.awaitLine(
          l -> l.matches("^quiet +\\| quiet here$") && quietLines.incrementAndGet() == 2,
          "the restarted quiet's line",
          WAIT);
      pmj.awaitLine("^ticker +\\| ", WAIT);
      long said =
          pmj.stdout().lines().filter(l -> l.matches("^pmj +\\| the API has 128 .*")).count();
      assertEquals(1, said, pmj.stdout());
    }
  }

  /**
   * Whether a connection is closed at once, as the one past the limit is: true once one is (the
   * limit is full), false when none is within a second or two (a machine so slow that pmj closed
   * stalled ones already).
   */
  private static boolean awaitFull(int port) throws IOException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < until) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.setSoTimeout(100);
        try {
          if (probe.getInputStream().read() < 0) return true;
        } catch (java.net.SocketTimeoutException open) {
          // taken: the limit is not full yet
        } catch (java.net.SocketException reset) {
          return true;
        }
      }
    }
    return false;
  }

  /** ps is answered: its table, in a few seconds at most on a busy machine (about one here). */
  private static void assertPs(Cli.Run ps, long ms) {
    assertEquals(0, ps.code(), ps.err());
    assertEquals("", ps.err());
    assertTrue(ps.out().startsWith("ID "), ps.out());
    assertTrue(Cli.pidOrNone("ticker", ps.out()) > 0, ps.out());
    assertTrue(ms < 5000, "pmj ps took " + ms + " ms");
  }

  /** A stand-in for pmj that takes connections and never answers, with a state file to it. */
  private ServerSocket silentPmj(Path project) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Path pmjDir = Files.createDirectories(project.resolve(".pmj"));
    Files.writeString(
        pmjDir.resolve("state.json"),
        "{\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"port\":"
            + server.getLocalPort()
            + ",\"token\":\"t\",\"file\":\""
            + project.resolve("pmj.yaml")
            + "\",\"version\":\"test\",\"startedAt\":\"2026-01-01T00:00:00Z\"}\n");
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) sockets.add(server.accept()); // and never a byte back
              } catch (IOException e) {
                // closed
              }
            },
            "silent-pmj");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  @Test
  void theCliGivesUpOnAPmjThatDoesNotAnswerInOneLine() throws Exception {
    run.write(YAML);
    try (ServerSocket server = silentPmj(dir);
        FileChannel lockFile =
            FileChannel.open(
                dir.resolve(".pmj/instance.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = lockFile.lock()) {
      // The time, shortened for this test.
      long t0 = System.nanoTime();
      Cli.Run ps = Cli.run(dir, Map.of("PMJ_API_TIMEOUT", "1"), "ps");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(1, ps.code());
      assertEquals("", ps.out());
      assertEquals(
          "pmj: pmj did not answer within 1 s (its API at 127.0.0.1:"
              + server.getLocalPort()
              + ")\n",
          ps.err());
      assertTrue(ms >= 900 && ms < 8000, "gave up after " + ms + " ms");
      // And the standard time, 10 s, for a command that changes something.
      t0 = System.nanoTime();
      Cli.Run restart = Cli.run(dir, "restart", "quiet");
      ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(1, restart.code());
      assertEquals(
          "pmj: pmj did not answer within 10 s (its API at 127.0.0.1:"
              + server.getLocalPort()
              + ")\n",
          restart.err());
      assertTrue(ms >= 9900 && ms < 20000, "gave up after " + ms + " ms");
      System.out.println("pmj restart gave up after " + ms + " ms");
    }
  }
}
