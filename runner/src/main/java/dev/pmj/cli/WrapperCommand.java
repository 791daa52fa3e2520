package dev.pmj.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the wrapper into a project: {@code pmjw}, {@code pmjw.cmd} and {@code
 * .pmjw/pmjw.properties}, which pin this pmj's version, the repository to download it from and the
 * SHA-256 of each archive, read from that repository (README, "Install"). The settings live in
 * {@code .pmjw/}: pmj keeps a {@code .gitignore} of everything in {@code .pmj/}, and these are
 * committed.
 */
@Command(
    name = "wrapper",
    mixinStandardHelpOptions = true,
    description =
        "Write pmjw, pmjw.cmd and .pmjw/pmjw.properties: they download this pmj version, check"
            + " it and run it, for teammates without pmj.")
final class WrapperCommand implements Callable<Integer> {
  /** Where releases are published (Maven layout); used once there are releases. */
  static final String RELEASES = "https://pmj.dev/releases";

  /** Platforms that may have an archive of their own, in the order the properties list them. */
  static final List<String> PLATFORMS =
      List.of("linux-x86_64", "linux-aarch64", "macos-x86_64", "macos-aarch64", "windows-x86_64");

  static final String PROPERTIES = ".pmjw/pmjw.properties";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int TIMEOUT_MS = 15_000;

  @Option(
      names = "--repository",
      paramLabel = "URL",
      description =
          "Maven repository to download pmj from (http, https or file:///; default: "
              + RELEASES
              + ").")
  String repository = RELEASES;

  @Option(names = "--force", description = "Replace a wrapper that is already there.")
  boolean force;

  private final Context context;

  WrapperCommand(Context context) {
    this.context = context;
  }

  /** A line for the user: what went wrong, and nothing was written. */
  static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Integer call() {
    Path dir =
        context
            .locateFile()
            .map(f -> f.toAbsolutePath().getParent())
            .orElse(context.workingDir)
            .normalize();
    try {
      String repo = checkedRepository(repository);
      String version = PmjCommand.version();
      if (version.equals("unknown")) throw new Refusal("this pmj does not know its version");
      if (!force) {
        for (String name : List.of("pmjw", "pmjw.cmd", PROPERTIES)) {
          Path existing = dir.resolve(name);
          if (Files.exists(existing)) {
            throw new Refusal(
                existing + " already exists; run 'pmj wrapper --force' to replace the wrapper");
          }
        }
      }
      Map<String, String> digests = digests(repo, version);
      write(dir, repo, version, digests);
      List<String> platforms = new ArrayList<>(digests.keySet());
      platforms.removeIf(k -> k.startsWith("java"));
      context.out.println(
          "wrote pmjw, pmjw.cmd and "
              + PROPERTIES
              + " for pmj "
              + version
              + " ("
              + (platforms.isEmpty() ? "" : String.join(", ", platforms) + " and ")
              + "Java 17+): commit them; './pmjw up' runs this version");
      return ExitCodes.OK;
    } catch (Refusal r) {
      context.err.println("pmj: " + r.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  /** The repository URL without a trailing slash, when it is one pmjw can download from. */
  static String checkedRepository(String url) throws Refusal {
    String u = url.strip();
    while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
    String lower = u.toLowerCase(Locale.ROOT);
    boolean ok =
        (lower.startsWith("https://")
                || lower.startsWith("http://")
                || lower.startsWith("file:///"))
            && u.chars().noneMatch(c -> c <= ' ');
    if (!ok) {
      throw new Refusal("--repository must be an http://, https:// or file:/// URL: " + url);
    }
    try {
      URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new Refusal("--repository is not a URL: " + url);
    }
    return u;
  }

  /**
   * The SHA-256 of each archive of this version the repository holds, by property suffix: the
   * platforms it has an archive for (none is fine), then {@code java} and {@code java-zip}, which
   * must be there (they run wherever Java 17+ does).
   */
  static Map<String, String> digests(String repo, String version) throws Refusal {
    String base = repo + "/dev/pmj/pmj-dist/" + version + "/pmj-dist-" + version;
    Map<String, String> out = new LinkedHashMap<>();
    // The Java archives first: without them there is nothing to pin, so ask no more.
    String java = digest(base + ".tar.gz");
    String javaZip = digest(base + ".zip");
    for (String[] a : new String[][] {{java, ".tar.gz"}, {javaZip, ".zip"}}) {
      if (a[0] == null) {
        throw new Refusal(
            "no SHA-256 of pmj "
                + version
                + "'s Java archive in "
                + repo
                + " (no "
                + base
                + a[1]
                + ".sha256)");
      }
    }
    for (String platform : PLATFORMS) {
      String ext = platform.startsWith("windows-") ? ".zip" : ".tar.gz";
      String d = digest(base + "-" + platform + ext);
      if (d != null) out.put(platform, d);
    }
    out.put("java", java);
    out.put("java-zip", javaZip);
    return out;
  }

  /** The digest published beside an archive (its {@code .sha256}); null when there is none. */
  private static String digest(String archiveUrl) throws Refusal {
    String url = archiveUrl + ".sha256";
    String text = read(url);
    if (text == null) return null;
    String[] words = text.strip().split("\\s+", 2);
    if (words.length == 0 || !SHA256.matcher(words[0]).matches()) {
      throw new Refusal(url + " holds no SHA-256 digest");
    }
    return words[0].toLowerCase(Locale.ROOT);
  }

  /** A small text file of the repository; null when it has none by that name. */
  private static String read(String url) throws Refusal {
    if (url.startsWith("file://")) {
      // As pmjw reads it: the path as written, no percent-decoding.
      Path path = Path.of(url.substring("file://".length()));
      try {
        return small(Files.newInputStream(path), url);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new Refusal("cannot read " + url + ": " + e.getMessage());
      }
    }
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(TIMEOUT_MS);
      c.setReadTimeout(TIMEOUT_MS);
      c.setInstanceFollowRedirects(true);
      c.setRequestProperty("User-Agent", "pmj/" + PmjCommand.version());
      int status = c.getResponseCode();
      if (status == 404 || status == 410) return null;
      if (status != 200) throw new Refusal("cannot read " + url + ": HTTP " + status);
      return small(c.getInputStream(), url);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException | IllegalArgumentException e) {
      throw new Refusal("cannot read " + url + ": " + e);
    } finally {
      if (c != null) c.disconnect();
    }
  }

  private static String small(InputStream stream, String url) throws IOException, Refusal {
    try (InputStream in = stream) {
      byte[] bytes = in.readNBytes(4096);
      if (in.read() != -1) throw new Refusal(url + " holds no SHA-256 digest");
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static String properties(String repo, String version, Map<String, String> digests) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "# The pmj that ./pmjw and pmjw.cmd run, where they download it and the SHA-256 of\n");
    sb.append("# each archive (written by 'pmj wrapper'; PMJW_REPOSITORY overrides repository).\n");
    sb.append("version=").append(version).append('\n');
    sb.append("repository=").append(repo).append('\n');
    digests.forEach((k, v) -> sb.append("sha256.").append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private void write(Path dir, String repo, String version, Map<String, String> digests)
      throws Refusal {
    Path current = dir;
    try {
      Files.createDirectories(dir.resolve(".pmjw"));
      current = dir.resolve("pmjw");
      replace(current, resource("pmjw"));
      try {
        Files.setPosixFilePermissions(current, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException e) {
        // Windows: pmjw.cmd is the one that runs there; git keeps the bit from elsewhere.
      }
      current = dir.resolve("pmjw.cmd");
      // cmd.exe reads labels and GOTO reliably only with CRLF line ends.
      replace(current, resource("pmjw.cmd").replace("\r\n", "\n").replace("\n", "\r\n"));
      current = dir.resolve(PROPERTIES);
      replace(current, properties(repo, version, digests));
    } catch (IOException | UncheckedIOException e) {
      throw new Refusal("cannot write " + current + ": " + e.getMessage());
    }
  }

  /** Writes a whole file by renaming a full copy over it, so no half file is ever seen. */
  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WrapperCommand.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("the jar holds no " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
