package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pmj import} on real files of public projects ({@code ../shared/import-corpus}, read where
 * it is, never copied here): each one converts, or fails with the reason foreman gives too; what is
 * written loads; every command of a Procfile and every script of a PM2 file is in the import.
 */
class ImportCorpusTest {
  private static final Pattern PROCFILE_LINE = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.+)$");

  /** The one file of the corpus that holds no process, and what pmj says about it. */
  private static final Map<String, String> REFUSED =
      Map.of(
          "ddollar__foreman__data-example__Procfile.without_colon",
          "Procfile.without_colon: a Procfile with no process: no line has the form NAME: COMMAND"
              + " (foreman finds no process either)\n");

  @TempDir Path dir;

  static Path corpus() {
    String given = System.getProperty("pmj.corpus");
    return given != null
        ? Path.of(given)
        : Fixtures.root().resolve("../shared/import-corpus").normalize();
  }

  @TestFactory
  Stream<DynamicTest> everyFileOfTheCorpusImports() throws IOException {
    Path corpus = corpus();
    assumeTrue(
        Files.isDirectory(corpus),
        "the import corpus is not here (" + corpus + "); these tests read it where it is");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpus)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md"))
          .sorted()
          .forEach(files::add);
    }
    assertTrue(files.size() >= 40, "corpus has " + files.size() + " files");
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(corpus.relativize(f).toString(), () -> importOne(f)));
  }

  private void importOne(Path source) throws IOException {
    String stored = source.getFileName().toString();
    String name = stored.substring(stored.lastIndexOf("__") + 2);
    Path work = Files.createDirectories(dir.resolve(stored));
    Files.copy(source, work.resolve(name));
    Cli.Run r = Cli.run(work, "import", name, "-o", "pmj.yaml");
    if (REFUSED.containsKey(stored)) {
      assertEquals(2, r.code());
      assertEquals(REFUSED.get(stored), r.err());
      return;
    }
    assertTrue(r.out().startsWith("wrote pmj.yaml: "), r.out());
    // 0: written, and it loads (folders and variables of the original machine aside).
    assertEquals(0, r.code(), r.err());
    for (String line : r.err().split("\n")) {
      assertTrue(
          line.isEmpty()
              || line.startsWith("pmj: warning: " + name + ":")
              || line.startsWith("pmj: before pmj up: pmj.yaml:"),
          line);
    }
    String yaml = Files.readString(work.resolve("pmj.yaml"));
    String text = Files.readString(work.resolve(name));
    if (source.getParent().getFileName().toString().equals("procfile")) {
      // Every NAME: COMMAND line is a process whose command is the text after the colon.
      for (String l : text.split("\n")) {
        Matcher m = PROCFILE_LINE.matcher(l);
        if (m.matches()) {
          String command = m.group(2).replace("${", "$${");
          assertTrue(
              yaml.contains("command: " + command + "\n")
                  || yaml.contains("command: " + quoted(command) + "\n"),
              "missing command " + command + " in\n" + yaml);
        }
      }
    }
    // Each warning names its source, and each is also a comment in the file.
    long warnings = r.err().lines().filter(l -> l.startsWith("pmj: warning: ")).count();
    if (warnings > 0) assertTrue(yaml.contains("  # ") || yaml.contains("\n# "), yaml);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u00a0", "\\u00a0") + "\"";
  }
}
