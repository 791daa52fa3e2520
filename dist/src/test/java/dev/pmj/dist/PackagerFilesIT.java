package dev.pmj.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The package-manager files JReleaser writes in `mvn verify` (dist/pom.xml, profile packager-files;
 * README, "Install") are well-formed and point at this build's archives: each parses, names this
 * version, the archive's file name and its SHA-256; the Homebrew formula picks the image archive by
 * OS and CPU and depends on no JDK (the image carries its runtime), and Ruby accepts it.
 */
class PackagerFilesIT {
  static final String VERSION = System.getProperty("pmj.version");
  static final Path DIST = Path.of(System.getProperty("pmj.dist"));

  /** Set by dist/pom.xml's packager-files profile; -Dpmj.packagerFiles=false leaves it out. */
  static final String WRITTEN = System.getProperty("pmj.packagerFilesDir");

  static final Path PACKAGE = DIST.resolve("jreleaser/package");
  static final String NAME = "pmj-" + VERSION;
  static final Pattern IMAGE_ZIP = Pattern.compile("pmj-.+-([a-z]+)-([a-z0-9_]+)\\.zip");

  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void written() {
    Assumptions.assumeTrue(
        WRITTEN != null, "built with -Dpmj.packagerFiles=false: no packager files");
    assertEquals(PACKAGE, Path.of(WRITTEN));
  }

  @Test
  void theHomebrewFormulaPicksEachImageArchiveByPlatformAndDependsOnNoJdk() throws Exception {
    List<Path> images = imageZips();
    if (images.isEmpty()) {
      if (ci()) throw new AssertionError("no image archive .zip in " + DIST);
      Assumptions.abort("no image archive: the build found no JDK 22+ to link one");
    }
    Path formula = existing(PACKAGE.resolve("pmj-image/brew/Formula/pmj.rb"));
    String rb = Files.readString(formula);

    assertTrue(rb.contains("class Pmj < Formula\n"), rb);
    assertTrue(rb.contains("\n  version \"" + VERSION + "\"\n"), rb);
    for (Path image : images) {
      Matcher m = IMAGE_ZIP.matcher(image.getFileName().toString());
      assertTrue(m.matches());
      String condition =
          ("macos".equals(m.group(1)) ? "OS.mac?" : "OS.linux?")
              + " && Hardware::CPU."
              + ("aarch64".equals(m.group(2)) ? "arm?" : "intel?");
      String block =
          "  if "
              + Pattern.quote(condition)
              + "\n    url \"https://[^\"]+/"
              + Pattern.quote(image.getFileName().toString())
              + "\"\n    sha256 \""
              + sha256(image)
              + "\"\n  end\n";
      assertTrue(Pattern.compile(block).matcher(rb).find(), "no block " + block + " in\n" + rb);
    }
    for (String line : rb.split("\n")) {
      assertFalse(line.strip().startsWith("depends_on \"openjdk"), line);
      assertFalse(line.strip().startsWith("depends_on \"java"), line);
    }
    assertTrue(rb.contains("bin.install_symlink \"#{libexec}/bin/pmj\" => \"pmj\""), rb);

    String ruby = tool("ruby");
    Process p =
        new ProcessBuilder(ruby, "-c", formula.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("Syntax OK", out.strip());
  }

  @Test
  void theImageZipHoldsTheTarGzsFilesWithTheirModes() throws Exception {
    List<Path> images = imageZips();
    Assumptions.assumeFalse(images.isEmpty(), "no image archive (see the formula's test)");
    String zipinfo = tool("zipinfo");
    for (Path zip : images) {
      Path tgz =
          zip.resolveSibling(zip.getFileName().toString().replaceFirst("\\.zip$", ".tar.gz"));
      // `tar -tv` and `zipinfo` both print the mode first and the name last (a link's target
      // after " -> " in tar only).
      TreeSet<String> fromTar = new TreeSet<>();
      for (String line : run("tar", "-tvzf", tgz.toString())) {
        String[] f = line.trim().split("\\s+", 6);
        fromTar.add(f[0] + " " + f[5].replaceFirst(" -> .*", ""));
      }
      TreeSet<String> fromZip = new TreeSet<>();
      for (String line : run(zipinfo, zip.toString())) {
        if (!line.matches("^[-dl][rwxsStT-]{9} .*")) continue;
        String[] f = line.trim().split("\\s+", 9);
        fromZip.add(f[0] + " " + f[8]);
      }
      // Folders: the zip also lists the ones tar only implies (pmj-VERSION/, lib/).
      assertTrue(fromZip.containsAll(fromTar), fromZip + " lacks some of " + fromTar);
      fromZip.removeIf(e -> e.startsWith("d"));
      fromTar.removeIf(e -> e.startsWith("d"));
      assertEquals(fromTar, fromZip);
      assertTrue(fromZip.contains("-rwxr-xr-x " + NAME + "/bin/pmj"), fromZip.toString());
    }
  }

  @Test
  void theScoopManifestInstallsTheJavaArchive() throws Exception {
    JsonNode m = JSON.readTree(existing(PACKAGE.resolve("pmj/scoop/bucket/pmj.json")).toFile());
    Path zip = existing(DIST.resolve(NAME + ".zip"));

    assertEquals(VERSION, m.path("version").asText());
    assertUrlOf(zip, m.path("url").asText());
    assertEquals("sha256:" + sha256(zip), m.path("hash").asText());
    assertEquals(NAME, m.path("extract_dir").asText());
    assertEquals("bin", m.path("env_add_path").asText());
    assertEquals("pmj-$version", m.path("autoupdate").path("extract_dir").asText());
  }

  @Test
  void theWingetManifestsInstallTheJavaArchiveAsAPortableCommand() throws Exception {
    Path dir = existing(PACKAGE.resolve("pmj/winget/manifests/p/pmj-dev/pmj/" + VERSION));
    Path zip = existing(DIST.resolve(NAME + ".zip"));
    Map<String, String> types =
        Map.of(
            "pmj-dev.pmj.yaml", "version",
            "pmj-dev.pmj.installer.yaml", "installer",
            "pmj-dev.pmj.locale.en-US.yaml", "defaultLocale");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          new TreeSet<>(types.keySet()),
          s.map(p -> p.getFileName().toString())
              .collect(TreeSet::new, TreeSet::add, TreeSet::addAll));
    }
    for (var e : types.entrySet()) {
      Map<String, Object> y = yaml(dir.resolve(e.getKey()));
      assertEquals("pmj-dev.pmj", y.get("PackageIdentifier"), e.getKey());
      assertEquals(VERSION, String.valueOf(y.get("PackageVersion")), e.getKey());
      assertEquals(e.getValue(), y.get("ManifestType"), e.getKey());
    }
    Map<String, Object> installer = yaml(dir.resolve("pmj-dev.pmj.installer.yaml"));
    List<?> installers = (List<?>) installer.get("Installers");
    assertEquals(1, installers.size());
    Map<?, ?> i = (Map<?, ?>) installers.get(0);
    assertUrlOf(zip, (String) i.get("InstallerUrl"));
    assertEquals(sha256(zip), ((String) i.get("InstallerSha256")).toLowerCase());
    assertEquals("zip", i.get("InstallerType"));
    assertEquals("portable", i.get("NestedInstallerType"));
    Map<?, ?> nested = (Map<?, ?>) ((List<?>) i.get("NestedInstallerFiles")).get(0);
    assertEquals(NAME + "\\bin\\pmj.cmd", nested.get("RelativeFilePath"));
    assertEquals("pmj", nested.get("PortableCommandAlias"));
  }

  @Test
  void theChocolateyPackageInstallsTheJavaArchive() throws Exception {
    Path dir = existing(PACKAGE.resolve("pmj/chocolatey/pmj"));
    Path zip = existing(DIST.resolve(NAME + ".zip"));

    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document nuspec = f.newDocumentBuilder().parse(existing(dir.resolve("pmj.nuspec")).toFile());
    Element metadata =
        (Element) nuspec.getDocumentElement().getElementsByTagNameNS("*", "metadata").item(0);
    assertEquals("pmj", text(metadata, "id"));
    assertEquals(VERSION, text(metadata, "version"));

    String install = Files.readString(existing(dir.resolve("tools/chocolateyinstall.ps1")));
    Matcher url = Pattern.compile("-Url '([^']+)'").matcher(install);
    assertTrue(url.find(), install);
    assertUrlOf(zip, url.group(1));
    assertTrue(install.contains("-Checksum '" + sha256(zip) + "'"), install);
    assertTrue(install.contains("-ChecksumType 'sha256'"), install);
    assertTrue(install.contains("Join-Path $app_home 'bin/pmj.cmd'"), install);

    // The remote build (a workflow in the Chocolatey repository) packs the folder it names.
    String push = Files.readString(existing(dir.resolveSibling(".github/workflows/push.yml")));
    Matcher packed = Pattern.compile("\\$\\(ls ([^ )]+)/\\*\\.nuspec\\)").matcher(push);
    assertTrue(packed.find(), push);
    assertEquals(dir.getFileName().toString(), packed.group(1), push);
  }

  @Test
  void theJbangCatalogRunsThisVersionsJarWithItsExports() throws Exception {
    Path dir = existing(PACKAGE.resolve("pmj/jbang"));
    JsonNode alias =
        JSON.readTree(existing(dir.resolve("jbang-catalog.json")).toFile())
            .path("aliases")
            .path("pmj");
    assertTrue(alias.isObject(), alias.toString());
    String script = Files.readString(existing(dir.resolve(alias.path("script-ref").asText())));

    assertTrue(script.contains("\n//JAVA 17+\n"), script);
    assertTrue(script.contains("\n//DEPS dev.pmj:pmj:" + VERSION + "\n"), script);
    assertTrue(
        script.contains("\n//JAVA_OPTIONS --add-exports=java.base/sun.nio.ch=ALL-UNNAMED\n"),
        script);
    assertTrue(script.contains("dev.pmj.cli.Main.main(args);"), script);
  }

  /** The image archives repacked as .zip for Homebrew (one per platform built here). */
  static List<Path> imageZips() throws Exception {
    try (Stream<Path> s = Files.list(DIST)) {
      return s.filter(p -> IMAGE_ZIP.matcher(p.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  /** A release asset's URL: the GitHub release of this version's tag, ending in the file name. */
  static void assertUrlOf(Path archive, String url) {
    String tail = "/releases/download/v" + VERSION + "/" + archive.getFileName();
    assertTrue(url.startsWith("https://github.com/") && url.endsWith(tail), url);
  }

  static Path existing(Path p) {
    assertTrue(
        Files.exists(p), p + " was not written (did `mvn verify` run the packager-files profile?)");
    return p;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  static Map<String, Object> yaml(Path file) throws Exception {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
  }

  static String text(Element parent, String name) {
    return parent.getElementsByTagNameNS("*", name).item(0).getTextContent().strip();
  }

  static List<String> run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) if (!line.isBlank()) lines.add(line);
    return lines;
  }

  static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The program's path on PATH. Missing: the test is skipped, except under CI, where it fails
   * (.ci/run installs it) — the rule of runner's Tools, which dist's tests do not compile.
   */
  static String tool(String program) {
    String path = System.getenv("PATH");
    if (path != null)
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, program);
        if (f.canExecute()) return f.getPath();
      }
    if (ci())
      throw new AssertionError(
          program + " is not installed, and CI must run every test (.ci/run installs it)");
    Assumptions.abort(program + " is not installed (.ci/run installs it); skipped outside CI");
    return null;
  }
}
