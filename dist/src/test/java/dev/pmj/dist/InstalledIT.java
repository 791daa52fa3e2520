package dev.pmj.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Leftovers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each archive unpacked into a read-only folder, with a fresh HOME, used as a user would: pmj
 * --version, init and validate, up -d / ps / down, service install --user through a link. The
 * install folder is the same file for file (size, time, mode) afterwards: an installed pmj writes
 * nothing there. (Run as root, the read-only mode does not stop a write: the listing does.)
 */
class InstalledIT {
  @TempDir Path tmp;
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private Path install;

  @AfterEach
  void cleanUp() throws IOException {
    Leftovers.killAll(tag);
    if (install != null) {
      try (Stream<Path> all = Files.walk(install)) {
        for (Path p : all.toList()) {
          if (!Files.isSymbolicLink(p)) p.toFile().setWritable(true, true);
        }
      }
    }
  }

  /** Unpacks an archive into tmp/install and makes it read-only; returns its top folder. */
  private Path unpack(Path archive) throws Exception {
    Path into = Files.createDirectories(tmp.resolve("install"));
    assertEquals(0, exec(into, Map.of(), "tar", "-xzf", archive.toString()).code);
    install = into.resolve(ArchivesIT.NAME);
    assertEquals(0, exec(into, Map.of(), "chmod", "-R", "a-w", install.toString()).code);
    return install;
  }

  /** Every file and folder under dir: path, size, modification time and mode. */
  private static List<String> listing(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted().toList()) {
        lines.add(
            dir.relativize(p)
                + " "
                + (Files.isDirectory(p) ? "dir" : Files.size(p))
                + " "
                + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                + " "
                + PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
      }
    }
    return lines;
  }

  record Run(int code, String out, String err) {}

  private Run exec(Path cwd, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().remove("PMJ_JAVA");
    pb.environment().remove("PMJ_JAVA_OPTS");
    pb.environment().remove("PMJ_CACHE_DIR");
    pb.environment().remove("XDG_CACHE_HOME");
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().put("PMJ_TEST_TAG", tag);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  /**
   * Runs everything a user does first, from the install folder's bin/pmj (through a link in another
   * folder for the service), with {@code env}; checks the install folder did not change.
   */
  private void useAsAUser(Path install, Map<String, String> extraEnv, String runtime, String cache)
      throws Exception {
    List<String> before = listing(install);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("HOME", home.toString());
    String pmj = install.resolve("bin/pmj").toString();

    Run version = exec(tmp, env, pmj, "--version");
    assertEquals(0, version.code, version.err);
    assertTrue(version.out.startsWith("pmj " + ArchivesIT.VERSION + "\nJava "), version.out);
    assertTrue(version.out.endsWith(" (" + runtime + "), " + cache + "\n"), version.out);
    assertEquals("", version.err);

    // init writes a file whose schema line names the published schema, never a path of this
    // machine (the file is committed); the archive ships the same schema for offline use.
    Path project = Files.createDirectories(tmp.resolve("project"));
    assertEquals(
        new Run(0, "wrote pmj.yaml: edit it, then run 'pmj validate' and 'pmj up'\n", ""),
        exec(project, env, pmj, "init"));
    String first = Files.readAllLines(project.resolve("pmj.yaml")).get(0);
    assertEquals("# yaml-language-server: $schema=https://pmj.dev/schemas/pmj.schema.json", first);
    assertTrue(Files.isRegularFile(install.resolve("schemas/pmj.schema.json")));
    assertEquals(
        new Run(0, "ok: 2 processes in pmj.yaml\n", ""), exec(project, env, pmj, "validate"));

    // A tiny project in the background: up -d, ps, down, and nothing left running.
    Path tiny = Files.createDirectories(tmp.resolve("tiny"));
    Files.writeString(
        tiny.resolve("pmj.yaml"), "version: 1\nprocesses:\n  sleeper:\n    command: sleep 1000\n");
    Run up = exec(tiny, env, pmj, "up", "-d");
    assertEquals(0, up.code, up.out + up.err);
    assertTrue(up.out.contains("sleeper"), up.out);
    Run ps = exec(tiny, env, pmj, "ps");
    assertEquals(0, ps.code, ps.err);
    assertTrue(ps.out.lines().anyMatch(l -> l.matches("sleeper +ready +[0-9]+ .*")), ps.out);
    assertEquals(new Run(0, "pmj: stopped pmj.yaml\n", ""), exec(tiny, env, pmj, "down"));
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(10)));

    // The service runs the path pmj was invoked by (a link here), not the folder it leads to.
    if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
      Path links = Files.createDirectories(tmp.resolve("links"));
      Path link = Files.createSymbolicLink(links.resolve("pmj"), install.resolve("bin/pmj"));
      Path xdg = tmp.resolve("config");
      Map<String, String> serviceEnv = new HashMap<>(env);
      serviceEnv.put("XDG_CONFIG_HOME", xdg.toString());
      Run service = exec(tiny, serviceEnv, link.toString(), "service", "install", "--user");
      Path unit = xdg.resolve("systemd/user/pmj-tiny.service");
      assertEquals(0, service.code, service.err);
      assertTrue(service.out.startsWith("wrote " + unit + "\n"), service.out);
      String text = Files.readString(unit);
      assertTrue(
          text.contains(
              "ExecStart=" + link + " up --no-console -f " + tiny.resolve("pmj.yaml") + "\n"),
          text);
    }

    assertEquals(before, listing(install), "the install folder changed");
  }

  @Test
  void theImageArchiveRunsFromAReadOnlyFolderOnItsOwnRuntimeAndCaches() throws Exception {
    Path archive = ArchivesIT.imageArchive();
    Assumptions.assumeTrue(archive != null, "no image archive (no JDK 22+)");
    Path install = unpack(archive);
    // No java on the PATH: the image needs none.
    useAsAUser(
        install, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), install + "/runtime", "AOT cache");
    // Its own caches served every start: nothing was made in the user's cache folder.
    assertFalse(Files.exists(tmp.resolve("home/.cache/pmj")), "caches made in the user's folder");
  }

  @Test
  void whenTheImagesCachesDoNotFitTheCacheIsMadeInTheUsersFolderNotTheInstallFolder()
      throws Exception {
    Path archive = ArchivesIT.imageArchive();
    Assumptions.assumeTrue(archive != null, "no image archive (no JDK 22+)");
    Path install = unpack(archive);
    List<String> before = listing(install);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path cacheHome = tmp.resolve("xdg-cache");
    // Other JVM options: the shipped caches were made without them, so they are not used.
    Map<String, String> env =
        Map.of(
            "HOME", home.toString(),
            "XDG_CACHE_HOME", cacheHome.toString(),
            "PMJ_JAVA_OPTS", "-Xss600k");
    String pmj = install.resolve("bin/pmj").toString();
    for (int i = 0; i < 2; i++) {
      Run version = exec(tmp, env, pmj, "--version");
      assertEquals(0, version.code, version.err);
      assertTrue(version.out.endsWith("/runtime), AOT cache\n"), version.out);
    }
    try (Stream<Path> s = Files.walk(cacheHome.resolve("pmj"))) {
      List<String> made =
          s.filter(Files::isRegularFile).map(p -> cacheHome.relativize(p).toString()).toList();
      assertEquals(1, made.size(), made.toString());
      assertTrue(
          made.get(0).matches("pmj/" + ArchivesIT.VERSION + "-java[0-9]+-[0-9]+-[0-9]+/cli\\.aot"),
          made.toString());
    }
    assertFalse(Files.exists(home.resolve(".cache")), "XDG_CACHE_HOME is where caches go");
    assertEquals(before, listing(install), "the install folder changed");
  }

  @Test
  void theJavaArchiveRunsFromAReadOnlyFolderWithItsCachesInTheUsersCacheFolder() throws Exception {
    Path install = unpack(ArchivesIT.DIST.resolve(ArchivesIT.NAME + ".tar.gz"));
    // The JDK of this build first on the PATH, as a user's own JDK would be.
    Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
    String path = javaHome.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin";
    String cache = Runtime.version().feature() >= 25 ? "AOT cache" : "AppCDS archive";
    useAsAUser(
        install, Map.of("PATH", path, "PMJ_JAVA", javaHome.toString()), javaHome.toString(), cache);
    try (Stream<Path> s = Files.list(tmp.resolve("home/.cache/pmj"))) {
      List<String> made = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(
          made.stream().anyMatch(n -> n.startsWith(ArchivesIT.VERSION + "-java")), made.toString());
    }
  }
}
