package dev.pmj.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Leftovers;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmj as a newcomer meets it, on a machine with neither a JDK nor Maven (README, "Install"): every
 * command runs in a mount namespace of its own where tmpfs mounts hide the machine's JDKs, Maven
 * and its repository, with nothing of this build in its environment ({@code env -i}, the system
 * PATH, a fresh HOME). The image archive is unpacked and used (--version, up -d, ps, logs, down),
 * then a project's {@code ./pmjw} downloads it from the repository the build wrote, runs it from
 * its cache, and refuses an archive whose SHA-256 is not the pinned one.
 *
 * <p>Needs {@code unshare -m} and {@code mount} (root, or a user namespace): skipped where they are
 * not permitted, except under CI=true.
 */
class NewcomerIT {
  /**
   * The folders a JDK or Maven comes from here (/usr/bin/java and mvn are links into the first
   * two), Maven's repository, and the JDK these tests run on wherever it lives.
   */
  private static final List<String> HIDDEN =
      List.of(
          "/usr/lib/jvm",
          "/usr/share/maven",
          System.getProperty("user.home") + "/.m2",
          System.getProperty("java.home"));

  private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

  /**
   * Run by {@code unshare -m --propagation private}, so the mounts are this command's alone: hides
   * what provides java and mvn, checks that neither is found any more, then runs the command in its
   * folder with only the given variables. Exit 99 and one line when java or mvn is still found.
   */
  private static final String SCRIPT =
      """
      set -eu
      PATH=%s
      export PATH
      for d in %s; do
        if [ -d "$d" ]; then mount -t tmpfs -o size=1m tmpfs "$d"; fi
      done
      for c in java javac jlink mvn; do
        if command -v "$c" >/dev/null 2>&1; then
          echo "newcomer: $c is still found: $(command -v "$c")" >&2
          exit 99
        fi
      done
      cd "$1"
      shift
      exec env -i PATH="$PATH" "$@"
      """
          .formatted(PATH, String.join(" ", HIDDEN.stream().map(NewcomerIT::quoted).toList()));

  /** {@code s} as one word of sh. */
  private static String quoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @TempDir Path tmp;
  private final String tag = "pmj-newcomer-" + UUID.randomUUID();
  private Path script;
  private Path home;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void namespacesArePermitted() throws Exception {
    // The check a user of the test sees: can this machine give a command mounts of its own?
    Path probe = Files.createDirectories(tmp.resolve("probe"));
    Run r =
        exec(
            tmp,
            "unshare",
            "-m",
            "--propagation",
            "private",
            "mount",
            "-t",
            "tmpfs",
            "tmpfs",
            probe.toString());
    if (r.code != 0) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("CI=true but unshare -m with a tmpfs mount failed: " + r.err);
      }
      Assumptions.abort("unshare -m with a tmpfs mount is not permitted here: " + r.err.strip());
    }
    script = tmp.resolve("newcomer.sh");
    Files.writeString(script, SCRIPT);
    home = Files.createDirectories(tmp.resolve("home"));
  }

  @AfterEach
  void nothingLeftRunning() {
    // Also after a failed step: whatever still carries the tag is ended.
    List<String> left = Leftovers.awaitNone(tag, Duration.ofSeconds(2));
    Leftovers.killAll(tag);
    assertEquals(List.of(), left, "left running");
  }

  private Run exec(Path cwd, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  /**
   * Runs {@code cmd} in {@code cwd} as the newcomer: in a fresh mount namespace without java or
   * mvn, with PATH, HOME={@code home}, the tag (inherited by everything it starts) and {@code vars}
   * (NAME=VALUE) as its whole environment.
   */
  private Run newcomer(Path cwd, Path home, List<String> vars, String... cmd) throws Exception {
    List<String> line = new ArrayList<>();
    line.addAll(
        List.of("unshare", "-m", "--propagation", "private", "sh", script.toString(), cwd + ""));
    line.add("HOME=" + home);
    line.add("PMJ_TEST_TAG=" + tag);
    line.addAll(vars);
    line.addAll(List.of(cmd));
    Run r = exec(tmp, line.toArray(String[]::new));
    assertTrue(r.code != 99 || !r.err.startsWith("newcomer: "), r.err);
    return r;
  }

  private Run newcomer(Path cwd, String... cmd) throws Exception {
    return newcomer(cwd, home, List.of(), cmd);
  }

  /** The image archive unpacked by the newcomer into HOME/opt; returns its bin/pmj. */
  private Path unpackTheImage() throws Exception {
    Path archive = ArchivesIT.imageArchive();
    Assumptions.assumeTrue(archive != null, "no image archive (no JDK 22+)");
    Path opt = Files.createDirectories(home.resolve("opt"));
    assertEquals(new Run(0, "", ""), newcomer(opt, "tar", "-xzf", archive.toString()));
    return opt.resolve(ArchivesIT.NAME + "/bin/pmj");
  }

  /** A project of two small processes that say hello and wait, tagged in their environment. */
  private Path project(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        dir.resolve("pmj.yaml"),
        """
        version: 1
        env:
          NEWCOMER_TAG: %s
        processes:
          hello:
            command: sh -c 'echo hello from hello; exec sleep 1000'
          world:
            command: sh -c 'echo hello from world; exec sleep 1000'
        """
            .formatted(tag));
    return dir;
  }

  /** up -d, ps, logs and down by {@code pmj} (bin/pmj or ./pmjw), and nothing left after. */
  private void upPsLogsDown(Path dir, String pmj) throws Exception {
    Run up = newcomer(dir, pmj, "up", "-d");
    assertEquals(0, up.code, up.out + up.err);
    assertEquals("", up.err);
    List<String> table = up.out.lines().toList();
    assertTrue(table.get(0).startsWith("ID "), up.out);
    assertTrue(table.get(1).matches("hello +ready +[0-9]+ .*"), up.out);
    assertTrue(table.get(2).matches("world +ready +[0-9]+ .*"), up.out);

    Run ps = newcomer(dir, pmj, "ps");
    assertEquals(0, ps.code, ps.err);
    List<String> pids = new ArrayList<>();
    for (String id : List.of("hello", "world")) {
      String row =
          ps.out
              .lines()
              .filter(l -> l.matches(id + " +ready +[0-9]+ .*"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(id + " is not running:\n" + ps.out));
      pids.add(row.split(" +")[2]);
    }
    // The rows are the processes that carry the tag: pmj's own children, not anyone else's.
    List<String> tagged = Leftovers.find(tag);
    for (String pid : pids) {
      assertTrue(tagged.stream().anyMatch(t -> t.startsWith(pid + " ")), pid + " " + tagged);
    }

    // A line is in the buffer once pmj read it: asked again until both are there.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Run logs = newcomer(dir, pmj, "logs");
    while (!(logs.out.contains("hello | hello from hello\n")
            && logs.out.contains("world | hello from world\n"))
        && System.nanoTime() < deadline) {
      logs = newcomer(dir, pmj, "logs");
    }
    assertEquals(0, logs.code, logs.err);
    assertTrue(logs.out.contains("hello | hello from hello\n"), logs.out);
    assertTrue(logs.out.contains("world | hello from world\n"), logs.out);
    assertTrue(logs.out.contains("pmj   | hello: started (pid " + pids.get(0) + ")"), logs.out);

    assertEquals(new Run(0, "pmj: stopped pmj.yaml\n", ""), newcomer(dir, pmj, "down"));
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(10)));
  }

  @Test
  void javaAndMavenAreNotFoundWhereTheNewcomerRunsCommands() throws Exception {
    // The script's own guard says so for every command; here what a user would type.
    for (String cmd : List.of("java -version", "mvn -v")) {
      Run r = newcomer(tmp, "sh", "-c", cmd);
      assertEquals(127, r.code, cmd + ": " + r.out + r.err);
      assertEquals("", r.out);
      String name = cmd.substring(0, cmd.indexOf(' '));
      assertTrue(r.err.matches("sh: (line )?1: " + name + ": (command )?not found\n"), r.err);
    }
    // Its whole environment: nothing of this build (no JAVA_HOME, no Maven's variables).
    Run env = newcomer(tmp, "env");
    assertEquals(0, env.code, env.err);
    assertEquals(
        List.of("HOME=" + home, "PATH=" + PATH, "PMJ_TEST_TAG=" + tag),
        env.out.lines().sorted().toList());
    // Outside the namespace nothing was hidden.
    for (String d : HIDDEN.subList(0, 2)) {
      if (Files.isDirectory(Path.of(d))) {
        try (Stream<Path> s = Files.list(Path.of(d))) {
          assertTrue(s.findAny().isPresent(), d + " is empty outside the namespace");
        }
      }
    }
  }

  @Test
  void theImageArchiveRunsUpPsLogsAndDownWithoutAJdk() throws Exception {
    Path pmj = unpackTheImage();
    Run version = newcomer(tmp, pmj.toString(), "--version");
    assertEquals(0, version.code, version.err);
    assertEquals("", version.err);
    assertTrue(version.out.startsWith("pmj " + ArchivesIT.VERSION + "\n"), version.out);
    Path runtime = home.resolve("opt/" + ArchivesIT.NAME + "/runtime").toRealPath();
    assertTrue(version.out.contains(" (" + runtime + ")"), version.out);

    upPsLogsDown(project("project"), pmj.toString());
  }

  @Test
  void pmjwDownloadsOnceRunsFromItsCacheAndRefusesATamperedArchive() throws Exception {
    Path pmj = unpackTheImage();
    Path repo = ArchivesIT.DIST.resolve("repository").toRealPath();
    Path dir = project("wrapped");
    Run wrapper = newcomer(dir, pmj.toString(), "wrapper", "--repository", "file://" + repo);
    assertEquals(
        new Run(
            0,
            "wrote pmjw, pmjw.cmd and .pmjw/pmjw.properties for pmj "
                + ArchivesIT.VERSION
                + " (linux-x86_64 and Java 17+): commit them; './pmjw up' runs this version\n",
            ""),
        wrapper);

    String name = "pmj-dist-" + ArchivesIT.VERSION + "-linux-x86_64.tar.gz";
    String path = "/dev/pmj/pmj-dist/" + ArchivesIT.VERSION + "/" + name;
    Path cache = home.resolve(".pmj/wrapper/dists/pmj-" + ArchivesIT.VERSION + "-linux-x86_64");
    Run first = newcomer(dir, "./pmjw", "--version");
    assertEquals(0, first.code, first.err);
    assertEquals(
        "pmjw: downloading pmj "
            + ArchivesIT.VERSION
            + " for linux-x86_64 from file://"
            + repo
            + path
            + "\n",
        first.err);
    assertTrue(first.out.startsWith("pmj " + ArchivesIT.VERSION + "\n"), first.out);
    assertTrue(Files.isDirectory(cache), "no " + cache);
    try (Stream<Path> s = Files.list(cache.getParent())) {
      assertEquals(List.of(cache), s.toList(), "the cache holds only the unpacked archive");
    }
    Path runtime = cache.resolve(ArchivesIT.NAME + "/runtime").toRealPath();
    assertTrue(first.out.contains(" (" + runtime + ")"), first.out);

    // From the cache: no download, the same pmj.
    assertEquals(new Run(0, first.out, ""), newcomer(dir, "./pmjw", "--version"));

    upPsLogsDown(dir, "./pmjw");

    // A copy of the repository whose archive lost bytes on the way, checksums as published.
    Path tampered = tmp.resolve("tampered");
    try (Stream<Path> all = Files.walk(repo)) {
      for (Path p : all.toList()) {
        Path to = tampered.resolve(repo.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Path archive = tampered.resolve(path.substring(1));
    try (FileChannel ch =
        FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(16);
      ch.read(b, at);
      b.flip();
      for (int i = 0; i < b.limit(); i++) b.put(i, (byte) ~b.get(i));
      ch.write(b, at);
    }
    String actual =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
    String expected = Files.readString(tampered.resolve(path.substring(1) + ".sha256")).strip();
    assertFalse(actual.equals(expected));

    // A teammate's clone of the project (the wrapper is committed, .pmj/ is not), a HOME
    // without a cache.
    Path clone = Files.createDirectories(tmp.resolve("clone/.pmjw"));
    clone = clone.getParent();
    for (String f : List.of("pmjw", "pmjw.cmd", ".pmjw/pmjw.properties", "pmj.yaml")) {
      Files.copy(dir.resolve(f), clone.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path other = Files.createDirectories(tmp.resolve("other-home"));
    String url = "file://" + tampered + path;
    Run refused =
        newcomer(clone, other, List.of("PMJW_REPOSITORY=file://" + tampered), "./pmjw", "up", "-d");
    assertEquals(
        new Run(
            1,
            "",
            "pmjw: downloading pmj "
                + ArchivesIT.VERSION
                + " for linux-x86_64 from "
                + url
                + "\npmjw: SHA-256 of "
                + url
                + " is "
                + actual
                + ", expected "
                + expected
                + ": refusing to run it\n"),
        refused);
    // Nothing ran and nothing was kept: no pmj (it would have made .pmj/), no cache, no half
    // download.
    assertEquals(List.of(), Leftovers.find(tag));
    assertFalse(Files.exists(clone.resolve(".pmj")), "pmj ran in the clone");
    try (Stream<Path> s = Files.list(other.resolve(".pmj/wrapper/dists"))) {
      assertEquals(List.of(), s.toList());
    }
  }
}
