package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.PmjProcess;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code pmj up} while other programs hold its API's connections open and say nothing, and
 * the CLI against a "pmj" that takes the connection and never answers (issue 18, SPEC §7.2).
 */
class HostileClientsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML =
      """
      processes:
        ticker:
          command: python3 @TESTDATA@/ticker.py 0.05
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
      """;

  @TempDir Path dir;
  private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) s.close();
  }

  private PmjProcess up() throws Exception {
    Fixtures.writeConfig(dir, YAML);
    PmjProcess pmj = PmjProcess.start(dir, "up");
    pmj.awaitLine("^pmj +\\| dashboard: ", WAIT);
    pmj.awaitLine("^quiet +\\| quiet here$", WAIT);
    return pmj;
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

  private static long pidOf(String id, String psTable) {
    for (String line : psTable.split("\n")) {
      String[] cells = line.trim().split(" +");
      if (cells[0].equals(id)) return cells[2].matches("[0-9]+") ? Long.parseLong(cells[2]) : -1;
    }
    throw new AssertionError("no " + id + " in\n" + psTable);
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
      long quiet = pidOf("quiet", ps.out());
      Cli.Run restart = Cli.run(dir, "restart", "quiet");
      assertEquals(0, restart.code(), restart.err());
      long until = System.nanoTime() + WAIT.toNanos();
      Cli.Run after;
      while ((after = Cli.run(dir, "ps")).code() == 0
          && pidOf("quiet", after.out()) == quiet
          && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertEquals(0, after.code(), after.err());
      assertNotEquals(quiet, pidOf("quiet", after.out()), "quiet was restarted");
      // The ticker went on printing all along.
      String last = pmj.awaitLine("^ticker +\\| ", WAIT);
      assertTrue(last.startsWith("ticker"));
    }
  }

  @Test
  void threeHundredConnectionsFillTheLimitPmjSaysSoOnceAndPsIsAnsweredWhenTheyAreClosed()
      throws Exception {
    try (PmjProcess pmj = up()) {
      int port = port();
      stall(port, 300);
      pmj.awaitLine(
          "^pmj +\\| the API has 128 connections open, its limit: it closes new ones at once, and"
              + " those that send no whole request within 1 s, until fewer are open$",
          WAIT);
      System.out.println("pmj's threads with 300 silent connections: " + threads(pmj.pid()));
      // While the limit is full, ps is refused at once, in one line: it does not hang.
      long t0 = System.nanoTime();
      Cli.Run refused = Cli.run(dir, "ps");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println("pmj ps while 300 silent connections are open: " + ms + " ms, " + refused);
      if (refused.code() != 0) {
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("pmj: pmj did not answer"), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(ms < 5000, "refused after " + ms + " ms");
      }
      // Silent connections are closed after 10 s: ps is answered again, the sockets still open
      // on this side.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Cli.Run ps;
      while ((ps = Cli.run(dir, "ps")).code() != 0 && System.nanoTime() < until) {
        Thread.sleep(200);
      }
      assertEquals(0, ps.code(), ps.err());
      long answeredAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println("pmj ps answered again " + answeredAfter + " ms later");
      pmj.awaitLine("^ticker +\\| ", WAIT);
      Cli.Run restart = Cli.run(dir, "restart", "quiet");
      assertEquals(0, restart.code(), restart.err());
      long said =
          pmj.stdout().lines().filter(l -> l.matches("^pmj +\\| the API has 128 .*")).count();
      assertEquals(1, said, pmj.stdout());
    }
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
    Fixtures.writeConfig(dir, YAML);
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
