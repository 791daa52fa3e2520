package dev.pmj.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What `mvn verify` leaves in dist/target/ is what the layout contract (and README, "Install")
 * says: each archive holds exactly its files under one top folder, and the repository holds
 * byte-identical copies with checksums that match.
 */
class ArchivesIT {
  static final String VERSION = System.getProperty("pmj.version");
  static final Path DIST = Path.of(System.getProperty("pmj.dist"));
  static final String NAME = "pmj-" + VERSION;

  /** The image archive of this platform, or null when the build had no JDK to link one. */
  static Path imageArchive() throws IOException {
    try (Stream<Path> s = Files.list(DIST)) {
      List<Path> found =
          s.filter(p -> p.getFileName().toString().matches("pmj-.*-[a-z]+-[a-z0-9_]+\\.tar\\.gz"))
              .toList();
      assertTrue(found.size() <= 1, found.toString());
      if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI")))
        throw new AssertionError("no image archive in " + DIST);
      return found.isEmpty() ? null : found.get(0);
    }
  }

  /** Entries of a tar.gz as `tar tvzf` prints them: "MODE NAME" (directories end in /). */
  static List<String> tarEntries(Path archive) throws Exception {
    Process p = new ProcessBuilder("tar", "-tvzf", archive.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    List<String> entries = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) continue;
      // MODE OWNER SIZE DATE TIME NAME[ -> LINK TARGET]
      String[] f = line.trim().split("\\s+", 6);
      entries.add(f[0] + " " + f[5].replaceFirst(" -> .*", ""));
    }
    return entries;
  }

  static List<String> names(List<String> entries) {
    return entries.stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList();
  }

  static String mode(List<String> entries, String name) {
    return entries.stream()
        .filter(e -> e.endsWith(" " + name))
        .map(e -> e.substring(0, e.indexOf(' ')))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + entries));
  }

  @Test
  void theJavaArchivesHoldTheLauncherTheJarAndTheSchemaUnderOneFolder() throws Exception {
    List<String> files =
        List.of(
            NAME + "/bin/pmj",
            NAME + "/bin/pmj.cmd",
            NAME + "/lib/pmj.jar",
            NAME + "/schemas/pmj.schema.json");
    List<String> tar = tarEntries(DIST.resolve(NAME + ".tar.gz"));
    assertEquals(
        new TreeSet<>(files),
        new TreeSet<>(names(tar).stream().filter(n -> !n.endsWith("/")).toList()));
    assertTrue(names(tar).stream().allMatch(n -> n.startsWith(NAME + "/")), tar.toString());
    assertEquals("-rwxr-xr-x", mode(tar, NAME + "/bin/pmj"));

    try (ZipFile zip = new ZipFile(DIST.resolve(NAME + ".zip").toFile())) {
      List<String> zipped =
          zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).sorted().toList();
      assertEquals(new TreeSet<>(files).stream().toList(), zipped);
    }
    // The jar is the one runner built, the schema the checkout's.
    Path root = Path.of(System.getProperty("pmj.root"));
    try (ZipFile zip = new ZipFile(DIST.resolve(NAME + ".zip").toFile())) {
      assertArrayEquals(
          Files.readAllBytes(root.resolve("runner/target/pmj.jar")),
          read(zip, NAME + "/lib/pmj.jar"));
      assertArrayEquals(
          Files.readAllBytes(root.resolve("schemas/pmj.schema.json")),
          read(zip, NAME + "/schemas/pmj.schema.json"));
      assertArrayEquals(
          Files.readAllBytes(root.resolve("pmj.cmd")), read(zip, NAME + "/bin/pmj.cmd"));
      // The launcher is the checkout's, told its version.
      String launcher = new String(read(zip, NAME + "/bin/pmj"), StandardCharsets.UTF_8);
      assertEquals(
          Files.readString(root.resolve("pmj"))
              .replace("\ndist_version=\n", "\ndist_version=" + VERSION + "\n"),
          launcher);
    }
  }

  private static byte[] read(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return in.readAllBytes();
    }
  }

  @Test
  void theImageArchiveHoldsARuntimeOfFourModulesAndACacheForEachKindOfStart() throws Exception {
    Path image = imageArchive();
    org.junit.jupiter.api.Assumptions.assumeTrue(image != null, "no image archive (no JDK 22+)");
    List<String> tar = tarEntries(image);
    List<String> names = names(tar);
    assertTrue(names.stream().allMatch(n -> n.startsWith(NAME + "/")), tar.toString());
    List<String> outsideRuntime =
        names.stream()
            .filter(n -> !n.endsWith("/") && !n.startsWith(NAME + "/runtime/"))
            .map(n -> n.replaceFirst("/java[0-9]+-[0-9]+-", "/java*-KEY-"))
            .sorted()
            .toList();
    boolean aot = names.stream().anyMatch(n -> n.endsWith(".aot"));
    String ext = aot ? ".aot" : ".jsa";
    assertEquals(
        List.of(
            NAME + "/bin/pmj",
            NAME + "/lib/cache/java*-KEY-cli" + ext,
            NAME + "/lib/cache/java*-KEY-console" + ext,
            NAME + "/lib/cache/java*-KEY-up" + ext,
            NAME + "/lib/pmj.jar",
            NAME + "/schemas/pmj.schema.json"),
        outsideRuntime);
    assertEquals("-rwxr-xr-x", mode(tar, NAME + "/bin/pmj"));
    assertTrue(names.contains(NAME + "/runtime/bin/java"), "no runtime/bin/java");
    // The jar comes before the caches, so that unpacking cannot make a cache look older.
    assertTrue(
        names.indexOf(NAME + "/lib/pmj.jar")
            < names.indexOf(
                names.stream().filter(n -> n.endsWith("-cli" + ext)).findFirst().orElseThrow()));
    Path release = DIST.resolve("dist-work/image/" + NAME + "/runtime/release");
    String modules =
        Files.readAllLines(release).stream()
            .filter(l -> l.startsWith("MODULES="))
            .findFirst()
            .orElseThrow();
    assertEquals("MODULES=\"java.base java.logging jdk.httpserver jdk.unsupported\"", modules);
  }

  @Test
  void theRepositoryHoldsCopiesOfTheArchivesWithMatchingChecksums() throws Exception {
    Path repo = DIST.resolve("repository/dev/pmj/pmj-dist");
    Path dir = repo.resolve(VERSION);
    List<String> archives = new ArrayList<>(List.of(NAME + ".tar.gz", NAME + ".zip"));
    Path image = imageArchive();
    if (image != null) archives.add(image.getFileName().toString());
    TreeSet<String> expected = new TreeSet<>();
    List<String> artifacts = new ArrayList<>();
    for (String a : archives) {
      String published = "pmj-dist-" + a.substring("pmj-".length());
      artifacts.add(published);
      assertArrayEquals(
          Files.readAllBytes(DIST.resolve(a)), Files.readAllBytes(dir.resolve(published)), a);
    }
    artifacts.add("pmj-dist-" + VERSION + ".pom");
    for (String a : artifacts) {
      expected.add(a);
      for (String alg : List.of("sha256", "sha1", "md5")) expected.add(a + "." + alg);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(expected, new TreeSet<>(s.map(p -> p.getFileName().toString()).toList()));
    }
    List<Path> checked = new ArrayList<>();
    for (String a : artifacts) checked.add(dir.resolve(a));
    checked.add(repo.resolve("maven-metadata.xml"));
    for (Path f : checked) {
      byte[] bytes = Files.readAllBytes(f);
      for (String[] alg :
          new String[][] {{"sha256", "SHA-256"}, {"sha1", "SHA-1"}, {"md5", "MD5"}}) {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance(alg[1]).digest(bytes));
        assertEquals(
            hex,
            Files.readString(f.resolveSibling(f.getFileName() + "." + alg[0])),
            f + "." + alg[0]);
      }
    }
    String pom = Files.readString(dir.resolve("pmj-dist-" + VERSION + ".pom"));
    assertTrue(pom.contains("<groupId>dev.pmj</groupId>"), pom);
    assertTrue(pom.contains("<artifactId>pmj-dist</artifactId>"), pom);
    assertTrue(pom.contains("<version>" + VERSION + "</version>"), pom);
    String metadata = Files.readString(repo.resolve("maven-metadata.xml"));
    assertTrue(metadata.contains("<artifactId>pmj-dist</artifactId>"), metadata);
    assertTrue(metadata.contains("<release>" + VERSION + "</release>"), metadata);
    assertTrue(metadata.contains("<version>" + VERSION + "</version>"), metadata);
  }
}
