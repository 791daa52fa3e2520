package dev.pmj.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which paths are ignored: pmj's defaults, nested .gitignore files with git's rules, watchIgnore.
 */
class IgnoreRulesTest {
  @TempDir Path tmp;
  private Path root;

  /** path (a trailing / marks a folder) -> ignored by the .gitignore files below. */
  private static final Map<String, Boolean> GIT_CASES = new LinkedHashMap<>();

  static {
    GIT_CASES.put("app.log", true);
    GIT_CASES.put("important.log", false); // negation after the pattern it undoes
    GIT_CASES.put("sub/other.log", true); // unanchored: any depth
    GIT_CASES.put("sub/debug.log", false); // a nested file's negation wins
    GIT_CASES.put("build-out/", true); // anchored folder
    GIT_CASES.put("sub/build-out/", false); // ... only at the top
    GIT_CASES.put("docs/x.tmp", true); // ** matches zero folders
    GIT_CASES.put("docs/a/b/x.tmp", true); // ... or several
    GIT_CASES.put("x.tmp", false);
    GIT_CASES.put("deep/er/cache/", true); // **/name: a folder at any depth
    GIT_CASES.put("deep/cache", true); // ... or a file
    GIT_CASES.put("secret/", true); // trailing slash: folders only
    GIT_CASES.put("sub/secret", false); // ... so a file of that name is watched
    GIT_CASES.put("a/b", true); // a/**/b
    GIT_CASES.put("a/x/y/b", true);
    GIT_CASES.put("logs/keep.md", true); // no re-including inside an ignored folder
    GIT_CASES.put("notes.txt", false); // anchored negation
    GIT_CASES.put("sub/notes.txt", true);
    GIT_CASES.put("foo/baz", true); // foo/* with !foo/bar
    GIT_CASES.put("foo/bar", false);
    GIT_CASES.put("sub/x.gen", true); // pattern of a nested .gitignore
    GIT_CASES.put("x.gen", false); // ... does not apply above it
    GIT_CASES.put("sub/deeper/x.gen", false); // a deeper one negates it
    GIT_CASES.put("sub/local-only", true); // anchored to the nested file's folder
    GIT_CASES.put("local-only", false);
    GIT_CASES.put("#hash", true); // escaped #
    GIT_CASES.put("x.ts", false);
    GIT_CASES.put("Readme.MD", false); // case matters
    GIT_CASES.put("readme.md", true);
  }

  @BeforeEach
  void tree() throws IOException {
    root = tmp.toRealPath().resolve("project");
    Files.createDirectories(root.resolve("sub/deeper"));
    write(
        ".gitignore",
        """
        # comments and blank lines are skipped

        *.log
        !important.log
        /build-out/
        docs/**/*.tmp
        **/cache
        secret/
        a/**/b
        logs/
        !logs/keep.md
        \\#hash
        *.txt
        !/notes.txt
        foo/*
        !foo/bar
        readme.md
        """);
    write(
        "sub/.gitignore",
        """
        !debug.log
        *.gen
        /local-only
        """);
    write("sub/deeper/.gitignore", "!*.gen\n");
  }

  @Test
  void gitignoreFilesFollowGitsRules() {
    IgnoreRules rules = new IgnoreRules(root, root, List.of(), w -> {});
    Map<String, Boolean> actual = new LinkedHashMap<>();
    GIT_CASES.forEach((path, expected) -> actual.put(path, ignored(rules, path)));
    assertEquals(GIT_CASES, actual);
  }

  @Test
  void gitItselfAgreesWithTheTable() throws Exception {
    assumeTrue(hasGit(), "git is not installed: the table is checked against JGit's matcher only");
    run(root, "git", "init", "-q");
    List<String> paths = new ArrayList<>();
    for (String p : GIT_CASES.keySet()) {
      Path f = root.resolve(p);
      if (p.endsWith("/")) {
        Files.createDirectories(f);
        Files.writeString(f.resolve("inside"), "x");
        paths.add(p + "inside");
      } else {
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        paths.add(p);
      }
    }
    Set<String> gitIgnored =
        new TreeSet<>(
            List.of(
                feed(root, String.join("\n", paths), "git", "check-ignore", "--no-index", "--stdin")
                    .split("\n")));
    gitIgnored.remove("");
    Set<String> expected = new TreeSet<>();
    GIT_CASES.forEach(
        (p, ignored) -> {
          if (ignored) expected.add(p.endsWith("/") ? p + "inside" : p);
        });
    assertEquals(expected, gitIgnored);
  }

  @Test
  void defaultsIgnoreToolFoldersBuildOutputAndEditorFiles() {
    IgnoreRules rules = new IgnoreRules(root, root, List.of(), w -> {});
    for (String p :
        List.of(
            "node_modules/",
            "web/node_modules/react/index.js",
            ".git/",
            ".git/HEAD",
            "__pycache__/",
            "app/__pycache__/m.cpython-311.pyc",
            "m.pyc",
            ".venv/",
            "venv/bin/python",
            "target/",
            "build/",
            "dist/",
            ".pmj/",
            ".app.py.swp",
            "app.py~",
            "4913",
            ".#app.py",
            "#app.py#")) {
      assertEquals(true, ignored(rules, p), p);
    }
    for (String p :
        List.of("src/app.py", "target", "builder/", "distance.py", "app.py.bak", "venvs/")) {
      assertEquals(false, ignored(rules, p), p);
    }
  }

  @Test
  void watchIgnoreUsesTheSameSyntaxRelativeToTheProcessFolder() throws IOException {
    Path cwd = Files.createDirectories(root.resolve("api"));
    IgnoreRules rules =
        new IgnoreRules(
            root, cwd, List.of("*.generated.ts", "/tmp/", "fixtures/**/*.json"), w -> {});
    assertEquals(true, ignored(rules, "api/src/a.generated.ts"));
    assertEquals(true, ignored(rules, "api/tmp/"));
    assertEquals(false, ignored(rules, "api/src/tmp/"));
    assertEquals(true, ignored(rules, "api/fixtures/a/b.json"));
    assertEquals(false, ignored(rules, "api/src/a.ts"));
  }

  @Test
  void aWatchRootIsWatchedEvenWhenARuleMatchesIt() {
    IgnoreRules rules = new IgnoreRules(root, root, List.of(), w -> {});
    Path generated = root.resolve("build-out");
    assertEquals(false, rules.ignored(generated, generated, true));
    assertEquals(false, rules.ignored(generated, generated.resolve("x.js"), false));
    assertEquals(true, rules.ignored(generated, generated.resolve("app.log"), false));
  }

  @Test
  void aChangedGitignoreIsReadAgainOnceForgotten() throws IOException {
    IgnoreRules rules = new IgnoreRules(root, root, List.of(), w -> {});
    assertEquals(false, ignored(rules, "x.ts"));
    write(".gitignore", "*.ts\n");
    assertEquals(false, ignored(rules, "x.ts"), "cached until told");
    rules.forget(root.resolve(".gitignore"));
    assertEquals(true, ignored(rules, "x.ts"));
  }

  @Test
  void theGitRootIsTheNearestFolderWithDotGit() throws IOException {
    Path repo = tmp.toRealPath().resolve("repo");
    Path project = Files.createDirectories(repo.resolve("services/api"));
    Files.createDirectories(repo.resolve(".git"));
    assertEquals(repo, IgnoreRules.gitRootOf(project));
    Path alone = Files.createDirectories(tmp.toRealPath().resolve("alone"));
    assertEquals(alone.getRoot(), IgnoreRules.gitRootOf(alone).getRoot());
  }

  private boolean ignored(IgnoreRules rules, String path) {
    boolean dir = path.endsWith("/");
    Path p = root.resolve(dir ? path.substring(0, path.length() - 1) : path);
    return rules.ignored(root, p, dir);
  }

  private void write(String rel, String text) throws IOException {
    Files.writeString(root.resolve(rel), text);
  }

  private static boolean hasGit() {
    try {
      return new ProcessBuilder("git", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String run(Path dir, String... cmd) throws Exception {
    return feed(dir, null, cmd);
  }

  private static String feed(Path dir, String input, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    if (input != null) {
      p.getOutputStream().write((input + "\n").getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
