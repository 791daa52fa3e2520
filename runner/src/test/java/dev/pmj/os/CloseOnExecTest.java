package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Output pipes are marked close-on-exec from the {@link PollablePipes#MARK_FROM}th on where Java
 * can call fcntl (22+, native access allowed), and are left as they were elsewhere, silently.
 */
class CloseOnExecTest {

  @Test
  void onThisJvmNothingIsMarkedWhenTheApiIsMissingOrNotAllowed() {
    // The tests' JVM runs without --enable-native-access (and may be Java 17).
    assertFalse(CloseOnExec.available());
    assertFalse(CloseOnExec.mark(0));
  }

  @Test
  void withNativeAccessOnJava22PipesAreMarkedAfterTheFirstFew() throws Exception {
    Path java = newestJava(22);
    Assumptions.assumeTrue(java != null, "no Java 22 or newer in /usr/lib/jvm");
    String[] out = probe(java, "--enable-native-access=ALL-UNNAMED");
    assertEquals("", out[1]);
    String[] words = out[0].split(" ");
    assertEquals("marked", words[0], out[0]);
    assertEquals("through", words[2], out[0]);
    // Never before MARK_FROM pipes: the first use of the API is not worth it for a few.
    int n = Integer.parseInt(words[1]);
    assertEquals(true, n >= PollablePipes.MARK_FROM, out[0]);
  }

  @Test
  void withoutNativeAccessNothingIsMarkedAndJavaSaysNothing() throws Exception {
    Path java = newestJava(22);
    Assumptions.assumeTrue(java != null, "no Java 22 or newer in /usr/lib/jvm");
    String[] out = probe(java);
    assertEquals("", out[1]);
    assertEquals("unmarked", out[0].split(" ")[0], out[0]);
  }

  /** Runs the probe; its stdout line and its stderr. */
  private static String[] probe(Path java, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(List.of(options));
    command.addAll(
        List.of(
            "--add-exports",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            CloseOnExecProbe.class.getName()));
    Path err = Files.createTempFile(Path.of("target"), "probe", ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectError(err.toFile())
              .start();
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
      return new String[] {stdout, Files.readString(err).trim()};
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** The java program of the newest JDK of at least {@code feature} under /usr/lib/jvm, or null. */
  private static Path newestJava(int feature) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) return null;
    Path best = null;
    int bestVersion = feature - 1;
    try (Stream<Path> homes = Files.list(jvms)) {
      for (Path home : (Iterable<Path>) homes::iterator) {
        Path release = home.resolve("release");
        Path java = home.resolve("bin/java");
        if (!Files.isRegularFile(release) || !Files.isExecutable(java)) continue;
        for (String line : Files.readAllLines(release)) {
          if (!line.startsWith("JAVA_VERSION=\"")) continue;
          String v = line.substring(14).replaceAll("[^0-9.].*", "");
          int major = Integer.parseInt(v.startsWith("1.") ? v.split("\\.")[1] : v.split("\\.")[0]);
          if (major > bestVersion) {
            bestVersion = major;
            best = java;
          }
        }
      }
    }
    return best;
  }
}
