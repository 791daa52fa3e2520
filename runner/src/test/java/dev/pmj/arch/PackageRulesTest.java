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

  /**
   * A top-level type is public only when code of another package (main or test) names it:
   * package-private is the default, so what a package offers the others is what its public types
   * are. (A nested type is reached through its outer type's methods without being named, so only
   * top-level types are held to this.)
   */
  @Test
  void everyPublicTypeIsUsedOutsideItsPackage() throws IOException {
    Path root = Fixtures.root().resolve("runner/src");
    Map<Path, String> sources = new java.util.TreeMap<>();
    for (String tree : List.of("main", "test")) {
      try (Stream<Path> files = Files.walk(root.resolve(tree).resolve("java"))) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator)
          sources.put(f, Files.readString(f));
      }
    }
    Path main = root.resolve("main/java/dev/pmj");
    List<String> unused = new ArrayList<>();
    for (Map.Entry<Path, String> e : sources.entrySet()) {
      if (!e.getKey().startsWith(main)) continue;
      String pkg = packageOf(e.getValue());
      Matcher m = PUBLIC_TYPE.matcher(e.getValue());
      if (!m.find()) continue;
      String name = m.group(1);
      if (name.equals("Main")) continue; // the entry point the jar's manifest names
      Pattern ref = Pattern.compile("\\b" + name + "\\b");
      Pattern reach = Pattern.compile("\\bdev\\.pmj\\." + pkg + "\\.(\\*|" + name + "\\b)");
      boolean used = false;
      for (Map.Entry<Path, String> other : sources.entrySet()) {
        String text = other.getValue();
        if (packageOf(text).equals(pkg)) continue;
        if (reach.matcher(text).find() && ref.matcher(text).find()) {
          used = true;
          break;
        }
      }
      if (!used) unused.add("dev.pmj." + pkg + "." + name);
    }
    assertEquals(List.of(), unused, "public, but nothing outside its package uses it");
  }

  /** A source file its next reader can hold: split by concern before it passes this. */
  @Test
  void noSourceFileIsOverFiveHundredLines() throws IOException {
    Path src = Fixtures.root().resolve("runner/src/main/java");
    List<String> long_ = new ArrayList<>();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        long lines = Files.readAllLines(f).size();
        if (lines > 500) long_.add(src.relativize(f) + ": " + lines + " lines");
      }
    }
    assertEquals(List.of(), long_);
  }

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package dev\\.pmj\\.([a-z]+)");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*"
              + "(?:class|interface|record|enum|@interface)\\s+(\\w+)");

  private static String packageOf(String source) {
    Matcher m = PACKAGE.matcher(source);
    return m.find() ? m.group(1) : "";
  }
}
