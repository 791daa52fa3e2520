package dev.pmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JDK choice and start-up caches, on a copy of the launcher and the built jar in a
 * folder of their own (so the repository's caches are not touched): a fresh cache is built and
 * used, a stale one is replaced, Java 17 still works with its AppCDS archive.
 */
class LauncherCacheIT {
  @TempDir Path root;
  private Path target;

  /** Installed JDKs by feature version (17, 25…), from their release files. */
  private static Map<Integer, Path> jdks() throws IOException {
    Map<Integer, Path> found = new TreeMap<>();
    for (String base : List.of("/usr/lib/jvm", "/Library/Java/JavaVirtualMachines")) {
      Path dir = Path.of(base);
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path home : s.sorted().toList()) {
          if (Files.isRegularFile(home.resolve("Contents/Home/release")))
            home = home.resolve("Contents/Home");
          Path release = home.resolve("release");
          if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java")))
            continue;
          for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=\"")) {
              String v = line.substring(14).replaceFirst("^1\\.", "");
              int major = Integer.parseInt(v.replaceFirst("[^0-9].*", ""));
              found.putIfAbsent(major, home.toRealPath());
            }
          }
        }
      }
    }
    return found;
  }

  /** A JDK of at least {@code major}; skips (fails under CI) when there is none. */
  private static Path jdk(int major, boolean atLeast) throws IOException {
    for (Map.Entry<Integer, Path> e : jdks().entrySet()) {
      if (atLeast ? e.getKey() >= major : e.getKey() == major) return e.getValue();
    }
    String what = "a JDK " + major + (atLeast ? "+" : "");
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(what + " is not installed");
    Assumptions.abort(what + " is not installed; skipped outside CI");
    return null;
  }

  @BeforeEach
  void copyLauncherAndJar() throws IOException {
    Path repo = Fixtures.root();
    target = Files.createDirectories(root.resolve("runner/target"));
    Files.copy(repo.resolve("pmj"), root.resolve("pmj"));
    root.resolve("pmj").toFile().setExecutable(true);
    Files.copy(repo.resolve("runner/target/pmj.jar"), target.resolve("pmj.jar"));
  }

  private String run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("pmj").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().remove("PMJ_JAVA");
    pb.environment().remove("PMJ_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish: " + out);
    return p.exitValue() + ":" + out;
  }

  private List<Path> caches(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().startsWith("pmj-run.java"))
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  @Test
  void onJava25AFreshAotCacheIsBuiltUsedAndReplacedWhenTheJarChanges() throws Exception {
    Path jdk = jdk(25, true);
    Map<String, String> env = Map.of("PMJ_JAVA", jdk.toString());
    String first = run(env, "--version");
    assertTrue(first.startsWith("0:pmj "), first);
    assertTrue(first.contains("(" + jdk + "), AOT cache\n"), first);
    List<Path> made = caches(".aot");
    assertEquals(1, made.size(), made.toString());
    FileTime madeAt = Files.getLastModifiedTime(made.get(0));

    // Used as it is by the next start.
    String again = run(env, "--version");
    assertTrue(again.contains("AOT cache"), again);
    assertEquals(madeAt, Files.getLastModifiedTime(made.get(0)));

    // A new jar makes the cache stale: it is made again before pmj runs, never used as it was.
    Files.setLastModifiedTime(
        target.resolve("pmj.jar"), FileTime.from(Instant.now().plusSeconds(5)));
    String rebuilt = run(env, "--version");
    assertTrue(rebuilt.contains("AOT cache"), rebuilt);
    List<Path> now = caches(".aot");
    assertEquals(1, now.size(), now.toString());
    assertNotEquals(madeAt, Files.getLastModifiedTime(now.get(0)));
    assertTrue(
        Files.getLastModifiedTime(now.get(0))
                .compareTo(Files.getLastModifiedTime(target.resolve("pmj-run.jar")))
            >= 0);
  }

  @Test
  void pmjUpHasACacheOfItsOwnHoldingWhatItLoads() throws Exception {
    Path jdk = jdk(25, true);
    Map<String, String> env = Map.of("PMJ_JAVA", jdk.toString());
    Files.writeString(
        root.resolve("pmj.yaml"),
        "version: 1\nprocesses:\n  hi:\n    command: echo hi-there\n    restart: never\n");
    // Not in a terminal: the cache without the console, made before pmj up runs.
    String up = run(env, "up");
    assertTrue(up.startsWith("0:"), up);
    assertTrue(up.contains("hi  | hi-there\n"), up);
    List<Path> made = caches(".aot");
    assertEquals(1, made.size(), made.toString());
    assertTrue(made.get(0).getFileName().toString().endsWith("-up.aot"), made.toString());
    // Every other command has the cache of everything, beside it; each is smaller than that one.
    String version = run(env, "--version");
    assertTrue(version.contains("AOT cache"), version);
    List<Path> both = caches(".aot");
    assertEquals(2, both.size(), both.toString());
    Path cli = both.stream().filter(p -> p.toString().endsWith("-cli.aot")).findFirst().get();
    assertTrue(Files.size(made.get(0)) < Files.size(cli), both.toString());
    // Used as they are from then on.
    FileTime upAt = Files.getLastModifiedTime(made.get(0));
    assertTrue(run(env, "up").startsWith("0:"));
    assertEquals(upAt, Files.getLastModifiedTime(made.get(0)));
  }

  @Test
  void upAfterGlobalOptionsUsesTheCacheOfUp() throws Exception {
    Path jdk = jdk(25, true);
    Map<String, String> env = Map.of("PMJ_JAVA", jdk.toString());
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(
        root.resolve("sub/other.yaml"),
        "version: 1\nprocesses:\n  hi:\n    command: echo hi-there\n    restart: never\n");
    // The command is found past -f FILE: pmj up's own (smaller) cache, not the one of everything.
    String up = run(env, "-f", "sub/other.yaml", "up");
    assertTrue(up.startsWith("0:"), up);
    assertTrue(up.contains("hi  | hi-there\n"), up);
    List<Path> made = caches(".aot");
    assertEquals(1, made.size(), made.toString());
    assertTrue(made.get(0).getFileName().toString().endsWith("-up.aot"), made.toString());
    FileTime upAt = Files.getLastModifiedTime(made.get(0));
    // And past --file FILE and --debug: the same cache, used as it is.
    String again = run(env, "--file", "sub/other.yaml", "--debug", "up");
    assertTrue(again.startsWith("0:"), again);
    assertEquals(made, caches(".aot"));
    assertEquals(upAt, Files.getLastModifiedTime(made.get(0)));
    // And past the file's other spellings, as pmj itself reads them (ArgumentScan).
    for (String file : List.of("--file=sub/other.yaml", "-fsub/other.yaml", "-f=sub/other.yaml")) {
      String joined = run(env, file, "up");
      assertTrue(joined.startsWith("0:") && joined.contains("hi  | hi-there\n"), joined);
      assertEquals(made, caches(".aot"), file);
      assertEquals(upAt, Files.getLastModifiedTime(made.get(0)), file);
    }
    // And past two files, merged left to right (team files).
    Files.writeString(
        root.resolve("sub/mine.yaml"), "processes:\n  hi:\n    command: echo hi-merged\n");
    String merged = run(env, "-f", "sub/other.yaml", "-f", "sub/mine.yaml", "up");
    assertTrue(merged.startsWith("0:") && merged.contains("hi  | hi-merged\n"), merged);
    assertEquals(made, caches(".aot"));
    assertEquals(upAt, Files.getLastModifiedTime(made.get(0)));
  }

  @Test
  void onJava17TheAppCdsArchiveStillWorks() throws Exception {
    Path jdk = jdk(17, false);
    Map<String, String> env = Map.of("PMJ_JAVA", jdk.resolve("bin/java").toString());
    String version = run(env, "--version");
    assertTrue(version.contains("Java 17"), version);
    assertTrue(version.contains("), AppCDS archive\n"), version);
    assertEquals(1, caches(".jsa").size());
    Files.writeString(
        root.resolve("pmj.yaml"), "version: 1\nprocesses:\n  hi:\n    command: echo hi\n");
    assertEquals("0:ok: 1 process in pmj.yaml\n", run(env, "validate"));
  }

  @Test
  void theNewestJdkIsChosenUnlessPmjJavaNamesOne() throws Exception {
    Map<Integer, Path> all = jdks();
    Assumptions.assumeTrue(all.size() >= 2, "needs two JDKs: " + all);
    int oldest = all.keySet().iterator().next();
    int newest = ((TreeMap<Integer, Path>) all).lastKey();
    // JAVA_HOME names the older one: the newest found still wins.
    String chosen = run(Map.of("JAVA_HOME", all.get(oldest).toString()), "--version");
    assertTrue(chosen.contains("(" + all.get(newest) + ")"), chosen);
    String named = run(Map.of("PMJ_JAVA", all.get(oldest).toString()), "--version");
    assertTrue(named.contains("(" + all.get(oldest) + ")"), named);
    assertEquals(
        "2:pmj: PMJ_JAVA=/nowhere/java is not a java program or a JDK folder\n",
        run(Map.of("PMJ_JAVA", "/nowhere/java"), "--version"));
    assertFalse(caches(".aot").isEmpty() && caches(".jsa").isEmpty());
  }
}
