package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Cli.Run;
import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in testdata/bad/ beside the exact lines a user sees for it ({@code NAME.expected};
 * {@code @DIR@} stands for the folder's absolute path), and exit code 2.
 */
class BadFilesTest {
  private static final Path BAD = Fixtures.root().resolve("testdata/bad");

  static Stream<String> badFiles() throws IOException {
    try (Stream<Path> files = Files.list(BAD)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") || n.endsWith(".json"))
          .sorted()
          .toList()
          .stream();
    }
  }

  static Run validate(Path dir, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "validate";
    System.arraycopy(args, 0, full, 1, args.length);
    return Cli.runWithOnly(dir, Map.of("PATH", "/usr/bin:/bin"), full);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void reportsExactlyTheExpectedLinesAndExitsTwo(String name) throws IOException {
    String base = name.substring(0, name.lastIndexOf('.'));
    String expected =
        Files.readString(BAD.resolve(base + ".expected")).replace("@DIR@", BAD.toString());
    Run run = validate(BAD, "-f", name);
    assertEquals(expected, run.err(), name);
    assertEquals("", run.out());
    assertEquals(2, run.code());
  }

  @Test
  void everyBadFileHasItsExpectedMessages() throws IOException {
    for (String name : badFiles().toList()) {
      String base = name.substring(0, name.lastIndexOf('.'));
      assertEquals(
          true, Files.exists(BAD.resolve(base + ".expected")), base + ".expected is missing");
    }
  }

  @Test
  void anAliasBombIsRejectedQuicklyWithoutExpandingIt() {
    Run run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> validate(BAD, "-f", "alias-bomb.yaml"));
    assertEquals(2, run.code());
  }

  @Test
  void aFileOfSeveralMegabytesIsRejectedWithoutReadingIt(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("pmj.yaml");
    StringBuilder sb = new StringBuilder("processes:\n");
    for (int i = 0; i < 120_000; i++)
      sb.append("  p")
          .append(i)
          .append(":\n    command: echo ")
          .append(i)
          .append(" xxxxxxxxxxxxxxxxxxxx\n");
    Files.writeString(big, sb);
    Run run = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> validate(dir));
    assertEquals(
        "pmj.yaml: file is 6.6 MB; pmj reads files of at most 1 MB (is this the right file?)\n",
        run.err());
    assertEquals(2, run.code());
  }
}
