package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pmj.testing.Cli;
import dev.pmj.testing.Cli.Run;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pmj wrapper} and the {@code pmjw} it writes, against repositories built here in the Maven
 * layout of a release, with small real archives whose {@code bin/pmj} prints its arguments.
 */
class WrapperTest {
  @TempDir Path tmp;

  private final String tag = "PMJ_TEST_TAG=wrapper-" + UUID.randomUUID();
  private static final String VERSION = PmjCommand.version();
  private static final String PLATFORM = platform();

  private Path project;
  private Path home;

  @AfterEach
  void nothingLeftRunning() throws IOException {
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(10)));
    // The links of bin() go first: JUnit warns about each link it finds pointing outside.
    try (Stream<Path> s = Files.list(tmp)) {
      for (Path dir : s.filter(p -> p.getFileName().toString().startsWith("bin-")).toList()) {
        deleteTree(dir);
      }
    }
  }

  /** What pmjw calls this machine, from the JVM's names. */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    return (os.contains("mac") ? "macos" : os.contains("linux") ? "linux" : os)
        + "-"
        + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64");
  }

  private Path setUp() throws IOException {
    project = Files.createDirectories(tmp.resolve("project"));
    home = Files.createDirectories(tmp.resolve("home"));
    return project;
  }

  /** A release repository: the Java archives, and the archive of this platform when asked. */
  private Path repository(String name, String marker, boolean platformArchive) throws Exception {
    Path root = tmp.resolve(name);
    Path dir = Files.createDirectories(root.resolve("dev/pmj/pmj-dist/" + VERSION));
    Path base = dir.resolve("pmj-dist-" + VERSION);
    tarGz(Path.of(base + ".tar.gz"), marker + " java");
    zip(Path.of(base + ".zip"), marker + " java-zip");
    if (platformArchive) tarGz(Path.of(base + "-" + PLATFORM + ".tar.gz"), marker + " " + PLATFORM);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.writeString(Path.of(f + ".sha256"), sha256(f));
      }
    }
    return root;
  }

  /** An archive as the dist build makes it: pmj-VERSION/bin/pmj, here printing its arguments. */
  private void tarGz(Path archive, String marker) throws Exception {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Path pmj = Files.createDirectories(staging.resolve("pmj-" + VERSION + "/bin")).resolve("pmj");
    Files.writeString(
        pmj, "#!/bin/sh\necho 'ran: " + marker + "'\nfor a; do echo \"arg: $a\"; done\n");
    pmj.toFile().setExecutable(true);
    assertEquals(
        0,
        exec(
                tmp,
                List.of(
                    "tar", "-czf", archive.toString(), "-C", staging.toString(), "pmj-" + VERSION),
                Map.of())
            .code());
  }

  private void zip(Path archive, String marker) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(archive))) {
      z.putNextEntry(new ZipEntry("pmj-" + VERSION + "/bin/pmj.cmd"));
      z.write(("@echo ran: " + marker + "\r\n").getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static String url(Path repository) {
    return "file://" + repository;
  }

  /** The line pmjw says on stderr when it downloads the platform archive from {@code url}. */
  private static String downloading(String url) {
    return "pmjw: downloading pmj " + VERSION + " for " + PLATFORM + " from " + url + "\n";
  }

  private String archiveUrl(String repository, String suffix) {
    return repository + "/dev/pmj/pmj-dist/" + VERSION + "/pmj-dist-" + VERSION + suffix;
  }

  /** Runs a program with only {@code env} (plus HOME and the test's tag) in its environment. */
  private Run exec(Path cwd, List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    if (home != null) pb.environment().put("HOME", home.toString());
    String[] kv = tag.split("=", 2);
    pb.environment().put(kv[0], kv[1]);
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("out.txt").toFile());
    pb.redirectError(tmp.resolve("err.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(tmp.resolve("out.txt")),
        Files.readString(tmp.resolve("err.txt")));
  }

  private Run pmjw(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("./pmjw"));
    command.addAll(List.of(args));
    return exec(project, command, env);
  }

  private Cli.Run wrapper(String... args) {
    List<String> all = new ArrayList<>(List.of("wrapper"));
    all.addAll(List.of(args));
    return Cli.run(project, all.toArray(String[]::new));
  }

  private Path dists() {
    return home.resolve(".pmj/wrapper/dists");
  }

  private List<String> cache() throws IOException {
    if (!Files.isDirectory(dists())) return List.of();
    try (Stream<Path> s = Files.list(dists())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * A folder of links to the programs pmjw may use, without {@code left out}: PATH set to it hides
   * the others.
   */
  private Path bin(String... leftOut) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin-" + String.join("-", leftOut)));
    for (String tool :
        List.of(
            "awk",
            "sed",
            "cut",
            "dirname",
            "uname",
            "mkdir",
            "mktemp",
            "rm",
            "mv",
            "cp",
            "tar",
            "gzip",
            "sha256sum",
            "shasum",
            "openssl",
            "curl",
            "wget",
            "cat")) {
      if (List.of(leftOut).contains(tool)) continue;
      String found = Tools.find(tool);
      if (found != null && !Files.exists(bin.resolve(tool))) {
        Files.createSymbolicLink(bin.resolve(tool), Path.of(found));
      }
    }
    return bin;
  }

  @Test
  void wrapperWritesTheScriptsAndThePropertiesWithEveryDigest() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    Cli.Run r = wrapper("--repository", url(repo) + "/");
    assertEquals(
        new Cli.Run(
            0,
            "wrote pmjw, pmjw.cmd and .pmjw/pmjw.properties for pmj "
                + VERSION
                + " ("
                + PLATFORM
                + " and Java 17+): commit them; './pmjw up' runs this version\n",
            ""),
        r);
    Path dir = repo.resolve("dev/pmj/pmj-dist/" + VERSION);
    String base = "pmj-dist-" + VERSION;
    assertEquals(
        "# The pmj that ./pmjw and pmjw.cmd run, where they download it and the SHA-256 of\n"
            + "# each archive (written by 'pmj wrapper'; PMJW_REPOSITORY overrides repository).\n"
            + "version="
            + VERSION
            + "\nrepository="
            + url(repo)
            + "\nsha256."
            + PLATFORM
            + "="
            + sha256(dir.resolve(base + "-" + PLATFORM + ".tar.gz"))
            + "\nsha256.java="
            + sha256(dir.resolve(base + ".tar.gz"))
            + "\nsha256.java-zip="
            + sha256(dir.resolve(base + ".zip"))
            + "\n",
        Files.readString(project.resolve(".pmjw/pmjw.properties")));
    String pmjw = Files.readString(project.resolve("pmjw"));
    assertTrue(pmjw.startsWith("#!/bin/sh\n"), pmjw);
    assertTrue(
        Files.getPosixFilePermissions(project.resolve("pmjw"))
            .contains(PosixFilePermission.OWNER_EXECUTE));
    String cmd = Files.readString(project.resolve("pmjw.cmd"));
    assertTrue(cmd.startsWith("<# : batch portion\r\n"), cmd);
    assertFalse(cmd.replace("\r\n", "").contains("\n"), "pmjw.cmd has CRLF line ends only");
    try (Stream<Path> s = Files.list(project)) {
      assertEquals(
          List.of(".pmjw", "pmjw", "pmjw.cmd"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theFirstRunDownloadsChecksAndRunsAndLaterRunsUseTheCache() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    Run first = pmjw(Map.of(), "up", "--file", "two words.yaml");
    assertEquals(
        new Run(
            0,
            "ran: a " + PLATFORM + "\narg: up\narg: --file\narg: two words.yaml\n",
            downloading(archiveUrl(url(repo), "-" + PLATFORM + ".tar.gz"))),
        first);
    assertEquals(List.of("pmj-" + VERSION + "-" + PLATFORM), cache());
    assertTrue(
        Files.isExecutable(
            dists().resolve("pmj-" + VERSION + "-" + PLATFORM + "/pmj-" + VERSION + "/bin/pmj")));
    // Without the repository, the cached copy runs, and nothing is said about downloading
    // (CDPATH, which makes cd print the folder, does not mislead pmjw).
    deleteTree(repo);
    assertEquals(
        new Run(0, "ran: a " + PLATFORM + "\narg: ps\n", ""),
        exec(tmp, List.of("/bin/sh", "project/pmjw", "ps"), Map.of("CDPATH", tmp.toString())));
  }

  @Test
  void aTamperedArchiveIsRefusedAndNothingRunsOrStays() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    Path archive =
        repo.resolve(
            "dev/pmj/pmj-dist/" + VERSION + "/pmj-dist-" + VERSION + "-" + PLATFORM + ".tar.gz");
    String expected = sha256(archive);
    tarGz(archive, "evil");
    String actual = sha256(archive);
    String url = archiveUrl(url(repo), "-" + PLATFORM + ".tar.gz");
    assertEquals(
        new Run(
            1,
            "",
            downloading(url)
                + "pmjw: SHA-256 of "
                + url
                + " is "
                + actual
                + ", expected "
                + expected
                + ": refusing to run it\n"),
        pmjw(Map.of(), "up"));
    assertEquals(List.of(), cache());
  }

  @Test
  void withoutCurlOrWgetAnHttpRepositoryIsOneLine() throws Exception {
    setUp();
    assertEquals(0, wrapper("--repository", url(repository("repo", "a", true))).code());
    Map<String, String> env =
        Map.of(
            "PATH", bin("curl", "wget").toString(), "PMJW_REPOSITORY", "http://127.0.0.1:9/repo");
    assertEquals(
        new Run(1, "", "pmjw: cannot download: neither curl nor wget is installed\n"),
        pmjw(env, "up"));
    assertEquals(List.of(), cache());
  }

  @Test
  void theDigestIsCheckedWithShasumOrOpensslWhenSha256sumIsMissing() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    String download = downloading(archiveUrl(url(repo), "-" + PLATFORM + ".tar.gz"));
    // Each tool in turn does the check, with those before it hidden.
    for (List<String> hidden : List.of(List.of("sha256sum"), List.of("sha256sum", "shasum"))) {
      Tools.require(hidden.size() == 1 ? "shasum" : "openssl");
      deleteTree(dists());
      assertEquals(
          new Run(0, "ran: a " + PLATFORM + "\narg: ps\n", download),
          pmjw(Map.of("PATH", bin(hidden.toArray(String[]::new)).toString()), "ps"),
          hidden + " hidden");
    }
    deleteTree(dists());
    assertEquals(
        new Run(
            1,
            "",
            "pmjw: cannot check the download: none of sha256sum, shasum or openssl is installed\n"),
        pmjw(Map.of("PATH", bin("openssl", "sha256sum", "shasum").toString()), "ps"));
    assertEquals(List.of(), cache());
  }

  @Test
  void noArchiveForThePlatformAndNoJavaIsOneLine() throws Exception {
    setUp();
    // The repository has the Java archives only.
    Path repo = repository("repo", "a", false);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    assertFalse(Files.readString(project.resolve(".pmjw/pmjw.properties")).contains(PLATFORM));
    String line =
        "pmjw: no pmj archive for "
            + PLATFORM
            + " and no Java 17+ found (install Java 17+ or set JAVA_HOME to one)\n";
    Path bin = bin();
    assertEquals(new Run(1, "", line), pmjw(Map.of("PATH", bin.toString()), "up"));
    // A Java too old counts as none.
    Path java = bin.resolve("java");
    Files.writeString(
        java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\necho 'java 11' >&2\n");
    java.toFile().setExecutable(true);
    assertEquals(new Run(1, "", line), pmjw(Map.of("PATH", bin.toString()), "up"));
    assertEquals(List.of(), cache());
    // With a Java 17+ (this JVM, through JAVA_HOME), the Java archive runs.
    Run run =
        pmjw(Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home")), "ps");
    assertEquals(
        new Run(
            0,
            "ran: a java\narg: ps\n",
            "pmjw: downloading pmj "
                + VERSION
                + " for Java 17+ from "
                + archiveUrl(url(repo), ".tar.gz")
                + "\n"),
        run);
    assertEquals(List.of("pmj-" + VERSION + "-java"), cache());
  }

  @Test
  void pmjwRepositoryPointsAtAnotherRepository() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    // A mirror: the same bytes elsewhere. The first repository is gone.
    Path mirror = tmp.resolve("mirror");
    assertEquals(
        0, exec(tmp, List.of("cp", "-R", repo.toString(), mirror.toString()), Map.of()).code());
    deleteTree(repo);
    Run run = pmjw(Map.of("PMJW_REPOSITORY", url(mirror) + "/"), "ps");
    assertEquals(
        new Run(
            0,
            "ran: a " + PLATFORM + "\narg: ps\n",
            downloading(archiveUrl(url(mirror), "-" + PLATFORM + ".tar.gz"))),
        run);
  }

  @Test
  void anExistingWrapperIsReplacedOnlyWithForce() throws Exception {
    setUp();
    Path a = repository("repo", "a", true);
    Path b = repository("other", "b", false);
    assertEquals(0, wrapper("--repository", url(a)).code());
    String before = Files.readString(project.resolve(".pmjw/pmjw.properties"));
    assertEquals(
        new Cli.Run(
            1,
            "",
            "pmj: "
                + project.resolve("pmjw")
                + " already exists; run 'pmj wrapper --force' to replace the wrapper\n"),
        wrapper("--repository", url(b)));
    assertEquals(before, Files.readString(project.resolve(".pmjw/pmjw.properties")));
    assertEquals(0, wrapper("--repository", url(b), "--force").code());
    String after = Files.readString(project.resolve(".pmjw/pmjw.properties"));
    assertTrue(after.contains("\nrepository=" + url(b) + "\n"), after);
    assertFalse(after.contains("sha256." + PLATFORM), after);
  }

  @Test
  void aRepositoryWithoutTheJavaArchiveDigestWritesNothing() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    Path sha =
        repo.resolve("dev/pmj/pmj-dist/" + VERSION + "/pmj-dist-" + VERSION + ".tar.gz.sha256");
    Files.delete(sha);
    assertEquals(
        new Cli.Run(
            1,
            "",
            "pmj: no SHA-256 of pmj "
                + VERSION
                + "'s Java archive in "
                + url(repo)
                + " (no "
                + url(sha)
                + ")\n"),
        wrapper("--repository", url(repo)));
    try (Stream<Path> s = Files.list(project)) {
      assertEquals(List.of(), s.toList());
    }
    assertEquals(
        new Cli.Run(
            1, "", "pmj: --repository must be an http://, https:// or file:/// URL: /srv/repo\n"),
        wrapper("--repository", "/srv/repo"));
  }

  @Test
  void aRepositoryThatFailsOrHoldsNoDigestIsOneLineAndWritesNothing() throws Exception {
    setUp();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    server.start();
    String http = "http://127.0.0.1:" + server.getAddress().getPort() + "/maven";
    try {
      assertEquals(
          new Cli.Run(
              1, "", "pmj: cannot read " + archiveUrl(http, ".tar.gz") + ".sha256: HTTP 500\n"),
          wrapper("--repository", http));
    } finally {
      server.stop(0);
    }
    Path repo = repository("repo", "a", true);
    Path sha =
        Path.of(repo + "/dev/pmj/pmj-dist/" + VERSION + "/pmj-dist-" + VERSION + ".zip.sha256");
    Files.writeString(sha, "<html>not found</html>\n");
    assertEquals(
        new Cli.Run(1, "", "pmj: " + url(sha) + " holds no SHA-256 digest\n"),
        wrapper("--repository", url(repo)));
    try (Stream<Path> s = Files.list(project)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void theWrapperGoesBesideTheEcosystemFile() throws Exception {
    setUp();
    Files.writeString(project.resolve("pmj.yaml"), "processes:\n  x: {command: x}\n");
    Path deep = Files.createDirectories(project.resolve("src/main"));
    Path repo = repository("repo", "a", true);
    assertEquals(0, Cli.run(deep, "wrapper", "--repository", url(repo)).code());
    assertTrue(Files.isRegularFile(project.resolve("pmjw")));
    assertTrue(Files.isRegularFile(project.resolve(".pmjw/pmjw.properties")));
    try (Stream<Path> s = Files.list(deep)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void overHttpTheDigestsAreReadAndCurlOrElseWgetDownloads() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/maven/",
        ex -> {
          String path = ex.getRequestURI().getPath().substring("/maven/".length());
          requests.add(ex.getRequestHeaders().getFirst("User-Agent") + " " + path);
          Path file = repo.resolve(path).normalize();
          if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
          } else {
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
          ex.close();
        });
    server.start();
    try {
      String http = "http://127.0.0.1:" + server.getAddress().getPort() + "/maven";
      Cli.Run r = wrapper("--repository", http);
      assertEquals(0, r.code(), r.err());
      assertTrue(
          Files.readString(project.resolve(".pmjw/pmjw.properties"))
              .contains("repository=" + http + "\nsha256." + PLATFORM + "="));
      // Platforms without an archive were asked for, and skipped.
      assertTrue(
          requests.stream().anyMatch(q -> q.endsWith("-windows-x86_64.zip.sha256")),
          requests.toString());
      String archive =
          "dev/pmj/pmj-dist/" + VERSION + "/pmj-dist-" + VERSION + "-" + PLATFORM + ".tar.gz";
      Tools.require("curl");
      requests.clear();
      Run curl = pmjw(Map.of(), "ps");
      assertEquals(0, curl.code(), curl.err());
      assertEquals("ran: a " + PLATFORM + "\narg: ps\n", curl.out());
      assertEquals(1, requests.size(), requests.toString());
      assertTrue(
          requests.get(0).startsWith("curl/") && requests.get(0).endsWith(" " + archive),
          requests.toString());
      Tools.require("wget");
      deleteTree(dists());
      requests.clear();
      Run wget = pmjw(Map.of("PATH", bin("curl").toString()), "ps");
      assertEquals(0, wget.code(), wget.err());
      assertEquals("ran: a " + PLATFORM + "\narg: ps\n", wget.out());
      assertEquals(1, requests.size(), requests.toString());
      assertTrue(
          requests.get(0).startsWith("Wget/") && requests.get(0).endsWith(" " + archive),
          requests.toString());
      // A download that fails is one line of pmjw's, and nothing stays.
      deleteTree(dists());
      Files.delete(repo.resolve(archive));
      Run missing = pmjw(Map.of(), "ps");
      assertEquals(1, missing.code());
      String[] lines = missing.err().split("\n");
      assertEquals(2, lines.length, missing.err());
      assertTrue(
          lines[1].startsWith("pmjw: cannot download " + http + "/" + archive + ": "),
          missing.err());
      assertEquals(List.of(), cache());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void twoFirstRunsAtOnceBothRunOneCopy() throws Exception {
    setUp();
    Path repo = repository("repo", "a", true);
    assertEquals(0, wrapper("--repository", url(repo)).code());
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ProcessBuilder pb = new ProcessBuilder("./pmjw", "ps").directory(project.toFile());
      pb.environment().clear();
      pb.environment().put("PATH", System.getenv("PATH"));
      pb.environment().put("HOME", home.toString());
      String[] kv = tag.split("=", 2);
      pb.environment().put(kv[0], kv[1]);
      pb.redirectErrorStream(true);
      runs.add(pb.start());
    }
    for (Process p : runs) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.endsWith("ran: a " + PLATFORM + "\narg: ps\n"), out);
    }
    assertEquals(List.of("pmj-" + VERSION + "-" + PLATFORM), cache());
    try (Stream<Path> s = Files.list(dists().resolve("pmj-" + VERSION + "-" + PLATFORM))) {
      assertEquals(List.of("pmj-" + VERSION), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void pmjwCmdIsWrittenWithTheKeysPmjwReads() throws Exception {
    setUp();
    assertEquals(0, wrapper("--repository", url(repository("repo", "a", true))).code());
    String cmd = Files.readString(project.resolve("pmjw.cmd"));
    // The batch part hands over to pmj.cmd; the PowerShell part reads the same keys as pmjw.
    assertTrue(cmd.contains("ENDLOCAL & \"%PMJW_CMD%\" %*\r\n"), cmd);
    for (String key :
        List.of(
            "'sha256.java-zip'", "\"sha256.$platform\"", "$env:PMJW_REPOSITORY", "$env:PMJW_HOME"))
      assertTrue(cmd.contains(key), key);
    // PowerShell cannot be installed here (no Debian package): pmjw.cmd is not run or parsed.
  }

  @Test
  void completionOffersWrapperAndItsOptions() {
    String bash = Cli.run(tmp, "completion", "bash").out();
    assertTrue(bash.contains("    wrapper) COMPREPLY=($(compgen -W \""), bash);
    assertTrue(bash.contains("--repository"), bash);
    assertTrue(bash.contains("--force"), bash);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
