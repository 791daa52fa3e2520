package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trust in {@code .pmj/} (README, "From a second terminal"): a folder or files someone else made
 * there never get pmj to write where they point or hand out the token; files pmj makes there are
 * 0600, folders 0700.
 */
class TrustTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML =
      """
      processes:
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
      """;
  private static final String WHY =
      " (pmj keeps its token and logs only in a real folder of yours, in files of its own; remove it and try again)\n";

  @TempDir Path root;
  private String tag;

  @AfterEach
  void nothingLeft() {
    if (tag == null) return;
    Leftovers.assertNoneLeft(tag);
  }

  private Path project() throws IOException {
    Path dir = Files.createDirectories(root.resolve("project"));
    Fixtures.writeConfig(dir, YAML);
    return dir;
  }

  /** Somewhere else: a file of the victim's that a planted link points to. */
  private Path outside() throws IOException {
    Path o = Files.createDirectories(root.resolve("outside"));
    Path target = o.resolve("target");
    Files.writeString(target, "precious\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    return o;
  }

  /** Every file under {@code dir} with its mode and bytes, to show nothing changed. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String mode =
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String content =
            Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "";
        out.put(dir.relativize(p).toString(), mode + " " + content);
      }
    }
    return out;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aPmjFolderThatIsALinkIsRefusedInOneLineAndNothingIsWrittenWhereItPoints() throws Exception {
    Path dir = project();
    Path o = outside();
    Files.createSymbolicLink(dir.resolve(".pmj"), o);
    Map<String, String> before = snapshot(o);
    for (String[] args :
        List.of(new String[] {"up"}, new String[] {"up", "-d"}, new String[] {"ps"})) {
      assertEquals(
          new Cli.Run(
              1, "", "pmj: refusing to use .pmj: it is a symbolic link, not a folder" + WHY),
          Cli.run(dir, args),
          String.join(" ", args));
    }
    assertEquals(before, snapshot(o), "the folder it points to is unchanged (no chmod, no files)");
    assertEquals("rwxr-xr-x", mode(o));
  }

  @Test
  void aPmjFolderOfAnotherUserIsRefusedInOneLineAndLeftAsItIs() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a folder away");
    Path dir = project();
    Path pmj = Files.createDirectory(dir.resolve(".pmj"));
    Files.setPosixFilePermissions(pmj, PosixFilePermissions.fromString("rwxrwxrwx"));
    UserPrincipal nobody =
        pmj.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(pmj, nobody);
    for (String[] args :
        List.of(new String[] {"up"}, new String[] {"up", "-d"}, new String[] {"ps"})) {
      assertEquals(
          new Cli.Run(
              1,
              "",
              "pmj: refusing to use .pmj: it belongs to nobody, not to root who runs pmj" + WHY),
          Cli.run(dir, args),
          String.join(" ", args));
    }
    try (Stream<Path> s = Files.list(pmj)) {
      assertEquals(List.of(), s.toList(), "nothing was written into it");
    }
    assertEquals("rwxrwxrwx", mode(pmj), "its mode is unchanged");
    assertEquals(nobody, Files.getOwner(pmj));
  }

  @Test
  void aUserWhoIsNotRootIsRefusedAPmjFolderOfRoot() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as another user");
    String setpriv = dev.pmj.testing.Tools.find("setpriv");
    assumeTrue(setpriv != null, "setpriv runs a program as another user");
    Path dir = project();
    for (Path p : List.of(root, dir))
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(
        dir.resolve("pmj.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
    Path pmj = Files.createDirectory(dir.resolve(".pmj"));
    // Commands that read no YAML: the libraries that do are in root's 0700 home, out of reach.
    for (String command : List.of("ps", "down")) {
      Process p =
          new ProcessBuilder(
                  setpriv,
                  "--reuid=65534",
                  "--regid=65534",
                  "--clear-groups",
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.pmj.cli.Main",
                  command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      String err = new String(p.getErrorStream().readAllBytes());
      assertEquals(1, p.waitFor(), err);
      assertEquals("", out);
      assertEquals(
          "pmj: refusing to use .pmj: it belongs to root, not to nobody who runs pmj" + WHY, err);
    }
    try (Stream<Path> s = Files.list(pmj)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pmj.log", "state.json", "instance.lock", "logs/quiet.log", ".gitignore"})
  void aLinkPlantedInThePmjFolderIsRefusedAndItsTargetIsUnchanged(String name) throws Exception {
    Path dir = project();
    Path o = outside();
    Path pmj = Files.createDirectories(dir.resolve(".pmj/logs"));
    Path link = dir.resolve(".pmj").resolve(name);
    Files.createSymbolicLink(link, o.resolve("target"));
    // And one to a file that does not exist yet: pmj must not make it.
    Path other = link.resolveSibling("other.log");
    Files.createSymbolicLink(other, o.resolve("made-by-pmj"));
    Map<String, String> before = snapshot(o);
    for (String[] args : List.of(new String[] {"up", "-d"}, new String[] {"up"})) {
      Cli.Run r = Cli.run(dir, args);
      assertEquals(1, r.code(), r.err());
      assertEquals("", r.out());
      assertTrue(
          r.err()
              .matches(
                  "pmj: refusing to use \\.pmj/(logs/)?[a-z.]+: it is a symbolic link, not a file"
                      + java.util.regex.Pattern.quote(WHY)),
          r.err());
    }
    assertEquals(before, snapshot(o), "the target's bytes and mode are unchanged");
    assertEquals("rw-r--r-- precious\n", snapshot(o).get("target"));
    assertFalse(Files.exists(o.resolve("made-by-pmj")));
    assertTrue(Files.isSymbolicLink(link), "the link is left for the user to see");
    assertTrue(pmj.toFile().isDirectory());
  }

  @Test
  void aFifoPlantedInThePmjFolderIsRefusedRatherThanWaitedOn() throws Exception {
    Path dir = project();
    Path pmj = Files.createDirectories(dir.resolve(".pmj"));
    assertEquals(
        0, new ProcessBuilder("mkfifo", pmj.resolve("pmj.log").toString()).start().waitFor());
    assertEquals(
        new Cli.Run(1, "", "pmj: refusing to use .pmj/pmj.log: it is not a regular file" + WHY),
        Cli.run(dir, "up", "-d"));
  }

  @Test
  void everyFileAndFolderPmjMakesInItsFolderIsPrivate() throws Exception {
    Path dir = project();
    // What an earlier version made 0644 and 0755 becomes private too.
    Files.createDirectories(dir.resolve(".pmj/logs"));
    Files.writeString(dir.resolve(".pmj/pmj.log"), "old\n");
    Files.writeString(dir.resolve(".pmj/.gitignore"), "*\n");
    Files.writeString(dir.resolve(".pmj/logs/quiet.log.1"), "older\n");
    for (String p : List.of(".pmj/pmj.log", ".pmj/.gitignore", ".pmj/logs/quiet.log.1"))
      Files.setPosixFilePermissions(dir.resolve(p), PosixFilePermissions.fromString("rw-r--r--"));
    for (String p : List.of(".pmj", ".pmj/logs"))
      Files.setPosixFilePermissions(dir.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
    PmjProcess up = PmjProcess.start(dir, "up", "-d");
    tag = up.tag;
    assertEquals(0, up.awaitExit(WAIT), up.stderr());
    // The output reached its file: it exists with its mode.
    Path quietLog = dir.resolve(".pmj/logs/quiet.log");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(Files.exists(quietLog) && Files.readString(quietLog).contains("quiet here"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling interval of a wait with a deadline
    }
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir.resolve(".pmj"))) {
      for (Path p : (Iterable<Path>) s::iterator) modes.put(dir.relativize(p).toString(), mode(p));
    }
    assertEquals(
        Map.of(
            ".pmj", "rwx------",
            ".pmj/.gitignore", "rw-------",
            ".pmj/instance.lock", "rw-------",
            ".pmj/state.json", "rw-------",
            ".pmj/pmj.log", "rw-------",
            ".pmj/logs", "rwx------",
            ".pmj/logs/quiet.log", "rw-------",
            ".pmj/logs/quiet.log.1", "rw-------"),
        modes);
    assertTrue(Files.readString(dir.resolve(".pmj/pmj.log")).startsWith("old\n"));
    assertEquals(new Cli.Run(0, "pmj: stopped pmj.yaml\n", ""), Cli.run(dir, "down"));
  }

  /** Whether another process can take the lock of {@code file} now (fcntl, as the JVM locks). */
  private static boolean lockIsFree(Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl,sys\nf=open(sys.argv[1],'r+')\ntry:\n fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB); print('free')\nexcept OSError: print('held')",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return switch (out) {
      case "free" -> true;
      case "held" -> false;
      default -> throw new AssertionError(out);
    };
  }

  @Test
  void aCommandInTheJvmThatHoldsTheLockLeavesItHeld() throws Exception {
    Path dir = project();
    try (dev.pmj.api.Instance instance = dev.pmj.api.Instance.claim(dir.resolve("pmj.yaml"))) {
      Path lock = dir.resolve(".pmj/instance.lock");
      assertFalse(lockIsFree(lock));
      assertEquals(
          new Cli.Run(
              1,
              "",
              "pmj: pmj is starting for pmj.yaml and has no API address yet; try again in a moment\n"),
          Cli.run(dir, "ps"));
      assertEquals(
          new Cli.Run(
              1,
              "",
              "pmj: another pmj is starting or running pmj.yaml; reach it with pmj ps, pmj logs, pmj attach or pmj down\n"),
          Cli.run(dir, "up"));
      assertFalse(lockIsFree(lock), "asking closed no channel of the lock this JVM holds");
    }
    assertTrue(lockIsFree(dir.resolve(".pmj/instance.lock")));
  }

  /** A program on the port a killed pmj had: it records whatever it is sent. */
  private static final class Listener implements AutoCloseable {
    final ServerSocket server;
    final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    int connections;
    final Thread thread;

    Listener() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    synchronized (this) {
                      connections++;
                    }
                    s.setSoTimeout(2000);
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    try {
                      while ((n = in.read(buf)) > 0) {
                        synchronized (this) {
                          received.write(buf, 0, n);
                        }
                      }
                    } catch (SocketTimeoutException e) {
                      // a client that waits for an answer: it got none
                    }
                  } catch (IOException e) {
                    // closed
                  }
                }
              },
              "test-listener");
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5000);
    }
  }

  @Test
  void aStartingPmjNeverLetsAStateFileOfAKilledRunBeTrusted() throws Exception {
    Path dir = project();
    Path pmj = Files.createDirectories(dir.resolve(".pmj"));
    Files.writeString(
        pmj.resolve("state.json"),
        "{\"pid\":999999,\"port\":1,\"token\":\"old\",\"file\":\"x\",\"version\":\"0\","
            + "\"startedAt\":\"2020-01-01T00:00:00.000Z\"}\n");
    // Between taking the lock and publishing its own state, the lock is held: a command asking
    // then must see a pmj that is starting, not the killed run's port and token.
    dev.pmj.api.Instance instance = dev.pmj.api.Instance.claim(dir.resolve("pmj.yaml"));
    try {
      assertFalse(Files.exists(pmj.resolve("state.json")), "the killed run's state is gone");
      assertTrue(
          dev.pmj.api.Instance.find(pmj) instanceof dev.pmj.api.Instance.Starting,
          "a command sees pmj starting");
    } finally {
      instance.close();
    }
  }

  @Test
  void aStateFileWithoutAHeldLockIsStaleAndItsTokenIsNeverSentToWhoeverHasThePortNow()
      throws Exception {
    Path dir = project();
    Path pmj = Files.createDirectories(dir.resolve(".pmj"));
    String token = "T0kenOfAKilledPmjT0kenOfAKilledPmjT0kenOfAK";
    try (Listener other = new Listener()) {
      for (boolean withLockFile : new boolean[] {true, false}) {
        if (withLockFile) Files.writeString(pmj.resolve("instance.lock"), "");
        else Files.deleteIfExists(pmj.resolve("instance.lock"));
        Files.writeString(
            pmj.resolve("state.json"),
            "{\"pid\":999999,\"port\":"
                + other.port()
                + ",\"token\":\""
                + token
                + "\",\"file\":\"x\",\"version\":\"0\",\"startedAt\":\"2020-01-01T00:00:00.000Z\"}\n");
        for (String[] args :
            List.of(
                new String[] {"ps"},
                new String[] {"open"},
                new String[] {"down"},
                new String[] {"__ids"})) {
          if (!Files.exists(pmj.resolve("state.json"))) {
            Files.writeString(
                pmj.resolve("state.json"),
                "{\"pid\":999999,\"port\":"
                    + other.port()
                    + ",\"token\":\""
                    + token
                    + "\",\"file\":\"x\",\"version\":\"0\",\"startedAt\":\"2020-01-01T00:00:00.000Z\"}\n");
          }
          Cli.Run r = Cli.run(dir, args);
          if (args[0].equals("__ids")) {
            assertEquals(new Cli.Run(0, "quiet\n", ""), r, "completion uses the file's ids");
          } else {
            assertEquals(
                new Cli.Run(
                    1,
                    "",
                    "pmj: no pmj is running pmj.yaml (removed .pmj/state.json, left by a run that ended; start it with pmj up)\n"),
                r,
                args[0]);
          }
          assertFalse(Files.exists(pmj.resolve("state.json")), "the stale state file is removed");
        }
      }
      synchronized (other) {
        assertEquals(0, other.connections, "nothing connected to the other program");
        assertEquals(0, other.received.size());
      }
      assertEquals(
          new Cli.Run(1, "", "pmj: no pmj is running pmj.yaml (start it with pmj up)\n"),
          Cli.run(dir, "ps"));
    }
  }
}
