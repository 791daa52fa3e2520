package dev.pmj.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Holds the table of STYLE.md: which package may use which. */
class PackageRulesTest {
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "config", Set.of(),
          "os", Set.of(),
          "supervisor", Set.of("config", "os"),
          "output", Set.of("config", "supervisor"),
          "watch", Set.of("config", "supervisor"),
          "console", Set.of("config", "supervisor", "output"),
          "api", Set.of("config", "supervisor", "output"),
          "convert", Set.of("config"),
          "cli",
              Set.of("config", "os", "supervisor", "output", "watch", "console", "api", "convert"));

  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import (?:static )?dev\\.pmj\\.([a-z]+)\\.");
  private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.pmj\\.([a-z]+)\\.[A-Z]");

  @Test
  void everyPackageUsesOnlyThePackagesItMayUse() throws IOException {
    Path src = Fixtures.root().resolve("runner/src/main/java/dev/pmj");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String pkg = src.relativize(f).getName(0).toString();
        if (!ALLOWED.containsKey(pkg)) {
          violations.add(f + ": package " + pkg + " is not in the table");
          continue;
        }
        String text = Files.readString(f);
        for (Pattern p : List.of(IMPORT, QUALIFIED)) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            String used = m.group(1);
            if (!used.equals(pkg) && !ALLOWED.get(pkg).contains(used)) {
              violations.add(src.relativize(f) + " uses dev.pmj." + used);
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void everyPackageSaysWhatItOwns() throws IOException {
    Path src = Fixtures.root().resolve("runner/src/main/java/dev/pmj");
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(src)) {
      for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        if (!Files.exists(d.resolve("package-info.java"))) missing.add(d.getFileName().toString());
      }
    }
    assertEquals(List.of(), missing);
  }
}
