package dev.pmj.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DevWatch on real folders with the OS watcher, and with a fake watcher for what the OS cannot be
 * made to do here (run out of watches). Negative checks ("nothing else changed") end with a change
 * to a watched sentinel file: the debounced change that follows must name only it.
 */
class DevWatchTest {
  private static final long WAIT_S = 20;

  @TempDir Path tmp;
  private Path dir;
  private final BlockingQueue<String> changes = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();
  private final List<String> allNotices = new ArrayList<>();
  private DevWatch watch;

  private final DevWatch.Sink sink =
      new DevWatch.Sink() {
        @Override
        public void changed(Change change, String description) {
          changes.add(change.processId() + ": " + description);
        }

        @Override
        public void notice(String processId, String text) {
          synchronized (allNotices) {
            allNotices.add(processId + ": " + text);
            allNotices.notifyAll();
          }
          notices.add(processId + ": " + text);
        }
      };

  @BeforeEach
  void realDir() throws IOException {
    dir = tmp.toRealPath();
  }

  @AfterEach
  void close() {
    if (watch != null) watch.close();
  }

  private Project load(String yaml) throws Exception {
    return Fixtures.project(dir, System.getenv(), yaml);
  }

  private void start(Project p, TreeWatcher os) {
    watch = DevWatch.start(p.dir(), p.processes(), os, sink);
  }

  /** One process, api, in devMode with one watch path, on the OS watcher. */
  private void watchApi(String watchPath) throws Exception {
    start(
        load(
            """
        processes:
          api:
            command: sleep 1000
            devMode: true
            watchPaths: [%s]
        """
                .formatted(watchPath)),
        new OsTreeWatcher());
  }

  /** Waits for a notice, in any order among the others (processes register in parallel). */
  private String awaitNotice(Predicate<String> test) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    synchronized (allNotices) {
      while (true) {
        for (String n : allNotices) if (test.test(n)) return n;
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) break;
        allNotices.wait(left);
      }
      fail("no such notice; saw " + allNotices);
    }
    return null;
  }

  private String nextChange() throws InterruptedException {
    String c = changes.poll(WAIT_S, TimeUnit.SECONDS);
    assertNotNull(c, "no change reported within " + WAIT_S + " s");
    return c;
  }

  private void mkdirs(String... rels) throws IOException {
    for (String r : rels) Files.createDirectories(dir.resolve(r));
  }

  private void write(String rel, String text) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private static final String TWO =
      """
      processes:
        api:
          command: sleep 1000
          cwd: api
          devMode: true
        web:
          command: sleep 1000
          cwd: web
          devMode: true
      """;

  @Test
  void aChangeRestartsOnlyTheProcessWhoseFolderItIsIn() throws Exception {
    mkdirs("api/src", "web");
    start(load(TWO), new OsTreeWatcher());
    awaitNotice(n -> n.startsWith("api: watching api (2 folders; devMode)"));
    awaitNotice(n -> n.startsWith("web: watching web (1 folder; devMode)"));
    write("api/src/app.py", "print(1)\n");
    assertEquals("api: api/src/app.py changed", nextChange());
    write("web/index.js", "1\n");
    assertEquals("web: web/index.js changed", nextChange());
  }

  @Test
  void overlappingFoldersRestartEachProcessOnce() throws Exception {
    mkdirs("shared");
    start(
        load(
            """
        processes:
          a:
            command: sleep 1000
            devMode: true
            watchPaths: [shared]
          b:
            command: sleep 1000
            devMode: true
            watchPaths: [., shared]
        """),
        new OsTreeWatcher());
    awaitNotice(n -> n.startsWith("a: watching shared"));
    awaitNotice(n -> n.startsWith("b: watching"));
    write("shared/x.txt", "x");
    List<String> got = new ArrayList<>(List.of(nextChange(), nextChange()));
    got.sort(null);
    assertEquals(List.of("a: shared/x.txt changed", "b: shared/x.txt changed"), got);
    write("sentinel", "x");
    assertEquals("b: sentinel changed", nextChange(), "b had no second change for x.txt");
  }

  @Test
  void aBurstOf500FilesIsOneChange() throws Exception {
    mkdirs("api/src", "web");
    // 1s rather than the default 50ms: a busy test machine (several JVMs building on two cores)
    // can pause the writing thread for hundreds of ms, which a real burst (git checkout) does not.
    start(
        load(TWO.replace("devMode: true", "devMode: true\n    debounce: 1s")), new OsTreeWatcher());
    awaitNotice(n -> n.startsWith("api: watching"));
    for (int i = 0; i < 500; i++) write("api/src/f" + i + ".py", "x" + i);
    assertEquals("api: api/src/f0.py changed (+499 more)", nextChange());
    write("web/sentinel", "x");
    assertEquals("web: web/sentinel changed", nextChange(), "no second change for the burst");
  }

  /**
   * vim's save: probe file 4913, backup by rename to app.py~, write anew, chmod, drop the backup.
   */
  @Test
  void anEditorsSaveDanceIsOneChangeNamingTheFile() throws Exception {
    mkdirs("api/src", "web");
    start(load(TWO), new OsTreeWatcher());
    awaitNotice(n -> n.startsWith("api: watching"));
    write("api/src/app.py", "v1");
    assertEquals("api: api/src/app.py changed", nextChange());
    Path src = dir.resolve("api/src");
    Files.writeString(src.resolve("4913"), "");
    Files.delete(src.resolve("4913"));
    Files.move(src.resolve("app.py"), src.resolve("app.py~"));
    Files.writeString(src.resolve("app.py"), "v2");
    Files.setPosixFilePermissions(
        src.resolve("app.py"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.delete(src.resolve("app.py~"));
    assertEquals("api: api/src/app.py changed", nextChange());
    write("web/sentinel", "x");
    assertEquals("web: web/sentinel changed", nextChange(), "no second change for the save");
  }

  @Test
  void ignoredFoldersAndFilesChangeNothingAndIgnoredFoldersAreNotRegistered() throws Exception {
    mkdirs("api/node_modules/a/b/c", "api/.git/objects", "api/gen/x", "api/src", "api/cache");
    Files.writeString(dir.resolve(".gitignore"), "*.log\ngen/\n");
    start(
        load(
            """
        processes:
          api:
            command: sleep 1000
            cwd: api
            devMode: true
            watchIgnore: ["cache/", "*.tmp"]
        """),
        new OsTreeWatcher());
    assertEquals(
        "api: watching api (2 folders; devMode)",
        awaitNotice(n -> n.startsWith("api: watching")),
        "only api and api/src are registered");
    write("api/node_modules/a/b/c/index.js", "x");
    write("api/node_modules/new.js", "x");
    write("api/.git/index", "x");
    write("api/gen/x/out.js", "x");
    write("api/server.log", "x");
    write("api/src/app.py.swp", "x");
    write("api/src/4913", "x");
    write("api/cache/c.bin", "x");
    write("api/src/a.tmp", "x");
    mkdirs("api/src/__pycache__");
    write("api/src/__pycache__/app.cpython-311.pyc", "x");
    write("api/src/sentinel.py", "x");
    assertEquals("api: api/src/sentinel.py changed", nextChange());
  }

  @Test
  void aFolderCreatedAfterStartIsWatchedToo() throws Exception {
    mkdirs("api", "web");
    start(load(TWO), new OsTreeWatcher());
    awaitNotice(n -> n.startsWith("api: watching"));
    mkdirs("api/new/deeper");
    assertTrue(nextChange().startsWith("api: api/new"));
    write("api/new/deeper/file.py", "x");
    assertEquals("api: api/new/deeper/file.py changed", nextChange());
    mkdirs("api/node_modules/pkg");
    write("api/node_modules/pkg/index.js", "x");
    write("api/new/sentinel", "x");
    assertEquals(
        "api: api/new/sentinel changed",
        nextChange(),
        "a node_modules created later is ignored too");
  }

  @Test
  void aWatchPathThatDoesNotExistYetIsPickedUpWhenCreated() throws Exception {
    watchApi("gen");
    assertEquals(
        "api: gen does not exist yet: watched once created",
        awaitNotice(n -> n.startsWith("api:")));
    mkdirs("gen");
    assertEquals("api: gen changed", nextChange(), "its creation is a change");
    write("gen/a.py", "x");
    assertEquals("api: gen/a.py changed", nextChange());
  }

  @Test
  void aDeletedAndRecreatedFolderKeepsBeingWatched() throws Exception {
    mkdirs("src");
    watchApi("src");
    awaitNotice(n -> n.startsWith("api: watching src"));
    Files.delete(dir.resolve("src"));
    assertEquals("api: src changed", nextChange());
    mkdirs("src");
    assertEquals("api: src changed", nextChange());
    write("src/again.py", "x");
    assertEquals("api: src/again.py changed", nextChange());
  }

  @Test
  void aSingleFileCanBeWatched() throws Exception {
    write("config.json", "{}");
    write("other.json", "{}");
    watchApi("config.json");
    awaitNotice(n -> n.startsWith("api: watching config.json"));
    write("other.json", "{\"a\":1}");
    write("config.json", "{\"a\":1}");
    assertEquals("api: config.json changed", nextChange());
  }

  @Test
  void aSymlinkLoopDoesNotHang() throws Exception {
    mkdirs("src/a");
    Files.createSymbolicLink(dir.resolve("src/a/loop"), dir.resolve("src"));
    Files.createSymbolicLink(dir.resolve("src/self"), Path.of("."));
    watchApi("src");
    assertEquals(
        "api: watching src (2 folders; devMode)", awaitNotice(n -> n.startsWith("api: watching")));
    write("src/a/x.py", "x");
    assertEquals("api: src/a/x.py changed", nextChange());
  }

  /** Needs a user that permissions apply to: root reads every folder, so it is skipped as root. */
  @Test
  void anUnreadableFolderIsSkippedWithOneWarning() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "running as root: permissions do not stop root from reading a folder");
    mkdirs("src/locked/inner", "src/open");
    Path locked = dir.resolve("src/locked");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      watchApi("src");
      assertEquals(
          "api: cannot watch src/locked (permission denied); skipped",
          awaitNotice(n -> n.contains("cannot watch")));
      assertEquals(
          "api: watching src (2 folders; devMode)",
          awaitNotice(n -> n.startsWith("api: watching")));
      write("src/open/x.py", "x");
      assertEquals("api: src/open/x.py changed", nextChange());
    } finally {
      Files.setPosixFilePermissions(
          locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** The OS's watch limit, which cannot be lowered for one test here, through the interface. */
  @Test
  void theWatchLimitIsReportedOnceWithTheCommandThatRaisesIt() throws Exception {
    mkdirs("api", "web");
    TreeWatcher full =
        (root, filter, events) ->
            new TreeWatcher.Watch() {
              @Override
              public void run() throws IOException {
                throw new IOException("User limit of inotify watches reached");
              }

              @Override
              public void close() {}
            };
    start(load(TWO), full);
    String n = awaitNotice(x -> x.contains("limit"));
    Path limit = Path.of("/proc/sys/fs/inotify/max_user_watches");
    String current = "";
    if (Files.isReadable(limit)) {
      try (var in = Files.newInputStream(limit)) {
        current =
            " ("
                + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim()
                + ")";
      }
    }
    assertTrue(
        n.matches(
            "(api|web): cannot watch every folder: the OS limit fs\\.inotify\\.max_user_watches"
                + java.util.regex.Pattern.quote(current)
                + " is "
                + "reached; raise it with: sudo sysctl fs\\.inotify\\.max_user_watches=\\d+ \\(add that line to /etc/sysctl\\.conf "
                + "to keep it\\)\\. Processes keep running; files not watched do not restart them\\."),
        n);
    // Both processes failed; the second says nothing more. A notice from the other process
    // would come at once, so a short wait for one that must not come is enough to see it.
    assertEquals(n, notices.take());
    assertEquals(null, notices.poll(2 * DevWatch.POLL_MS, TimeUnit.MILLISECONDS));
  }

  @Test
  void pmjsOwnFilesNeverRestartTheProcessWatchingThem() throws Exception {
    Project p =
        load(
            """
            processes:
              api:
                command: sleep 1000
                devMode: true
            """);
    OwnFiles own =
        new OwnFiles(
            List.of(dir.resolve("pmj.yaml")),
            List.of(dir.resolve(".env"), dir.resolve("up.log")),
            List.of(dir.resolve("api.log")),
            List.of(dir.resolve("logs")));
    watch = DevWatch.start(p.dir(), p.processes(), new OsTreeWatcher(), sink, own::contains);
    awaitNotice(n -> n.startsWith("api: watching . ("));
    write("pmj.yaml.tmp", "processes: {}\n");
    Files.move(
        dir.resolve("pmj.yaml.tmp"),
        dir.resolve("pmj.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    write(".env", "A=1\n");
    write("up.log", "pmj | a line\n");
    write("api.log", "2026-12-06T10:00:00.000Z x\n");
    write("api.log.1", "2026-12-06T10:00:00.000Z x\n");
    write("logs/web.log", "x\n");
    write("sentinel", "x");
    assertEquals("api: sentinel changed", nextChange());
  }

  @Test
  void aProcessRestartedByChangesMoreThanFiveTimesInTenSecondsIsToldOnce() throws Exception {
    mkdirs("api");
    watchApi("api");
    awaitNotice(n -> n.startsWith("api: watching api ("));
    String storm =
        "api: restarted 6 times in 10s by changes to api/out.txt; if the process writes that file"
            + " itself, add it to watchIgnore: [\"api/out.txt\"]";
    // Its cwd is the project folder, so the pattern is relative to that. A process appending to a
    // file in its own folder, as fast as the debounce lets each write
    // be one restart.
    int writes = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!notices.contains(storm) && System.nanoTime() < deadline) {
      Files.writeString(
          dir.resolve("api/out.txt"),
          "line " + writes++ + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      assertEquals("api: api/out.txt changed", nextChange());
    }
    assertTrue(notices.contains(storm), allNotices.toString());
    for (int i = 0; i < 3; i++) {
      write("api/out.txt", "more " + i);
      assertEquals("api: api/out.txt changed", nextChange());
    }
    synchronized (allNotices) {
      assertEquals(1, allNotices.stream().filter(n -> n.startsWith("api: restarted ")).count());
    }
  }
}
