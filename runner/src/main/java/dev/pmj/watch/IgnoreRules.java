package dev.pmj.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Which paths a process does not watch: pmj's defaults, the {@code .gitignore} files of the project
 * (every folder's, nested ones deciding first, git's own matching rules through JGit's matcher),
 * {@code .git/info/exclude}, and the process's {@code watchIgnore} patterns (same syntax, relative
 * to the process's cwd). A path inside an ignored folder is ignored, as in git. Only what lies
 * below a watch root is judged: a root someone names is watched even when a rule matches it.
 */
final class IgnoreRules {
  /** Always ignored: tool folders, build output, compiled files and editors' temporary files. */
  static final List<String> DEFAULTS =
      List.of(
          ".git/",
          ".hg/",
          ".svn/",
          ".pmj/",
          "node_modules/",
          "__pycache__/",
          ".venv/",
          "venv/",
          "target/",
          "build/",
          "dist/",
          ".mypy_cache/",
          ".pytest_cache/",
          ".idea/",
          "*.pyc",
          "*.pyo",
          "*.swp",
          "*.swo",
          "*.swx",
          "*~",
          "4913",
          ".#*",
          "\\#*#",
          "*___jb_tmp___",
          "*___jb_old___",
          ".DS_Store");

  private static final IgnoreNode NONE = new IgnoreNode();

  private final Path gitRoot;
  private final Path cwd;
  private final IgnoreNode defaults;
  private final IgnoreNode extra;
  private final IgnoreNode exclude;
  private final Consumer<String> warn;
  private final Map<Path, IgnoreNode> gitignores = new ConcurrentHashMap<>();

  /**
   * @param gitRoot the top folder whose {@code .gitignore} files count (the git work tree that
   *     holds the project, or the project folder), a real path
   * @param cwd the folder {@code watchIgnore} patterns are relative to, a real path
   * @param watchIgnore the process's own patterns
   * @param warn told once per unreadable ignore file
   */
  public IgnoreRules(Path gitRoot, Path cwd, List<String> watchIgnore, Consumer<String> warn) {
    this.gitRoot = gitRoot;
    this.cwd = cwd;
    this.warn = warn;
    this.defaults = node(DEFAULTS);
    this.extra = node(watchIgnore);
    this.exclude =
        Files.isDirectory(gitRoot.resolve(".git"))
            ? read(gitRoot.resolve(".git/info/exclude"))
            : NONE;
  }

  /** The folder whose {@code .gitignore} files count for a project in {@code projectDir}. */
  public static Path gitRootOf(Path projectDir) {
    for (Path d = projectDir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) return d;
    }
    return projectDir;
  }

  /**
   * Whether {@code path}, below {@code root}, is ignored: it or a folder between it and the root
   * matches.
   */
  public boolean ignored(Path root, Path path, boolean directory) {
    if (!path.startsWith(root) || path.equals(root)) return false;
    Path rel = root.relativize(path);
    Path at = root;
    int n = rel.getNameCount();
    for (int i = 0; i < n; i++) {
      at = at.resolve(rel.getName(i));
      boolean last = i == n - 1;
      if (matches(root, at, last ? directory : true)) return true;
    }
    return false;
  }

  /** Whether this one path matches, not looking at the folders above it. */
  boolean matches(Path root, Path path, boolean directory) {
    if (decide(defaults, root, path, directory) == Boolean.TRUE) return true;
    Boolean own = decide(extra, cwd, path, directory);
    if (own != null) return own;
    if (path.startsWith(gitRoot)) {
      for (Path dir = path.getParent();
          dir != null && dir.startsWith(gitRoot);
          dir = dir.getParent()) {
        Boolean r = decide(gitignore(dir), dir, path, directory);
        if (r != null) return r;
      }
      Boolean r = decide(exclude, gitRoot, path, directory);
      if (r != null) return r;
    }
    return false;
  }

  /** A {@code .gitignore} changed: read it again next time. */
  public void forget(Path gitignoreFile) {
    gitignores.remove(gitignoreFile.getParent());
  }

  private static Boolean decide(IgnoreNode node, Path base, Path path, boolean directory) {
    if (node == NONE || !path.startsWith(base) || path.equals(base)) return null;
    String rel = base.relativize(path).toString().replace('\\', '/');
    return node.checkIgnored(rel, directory);
  }

  private IgnoreNode gitignore(Path dir) {
    return gitignores.computeIfAbsent(dir, d -> read(d.resolve(".gitignore")));
  }

  private IgnoreNode read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      IgnoreNode node = new IgnoreNode();
      node.parse(file.toString(), in);
      return node.getRules().isEmpty() ? NONE : node;
    } catch (NoSuchFileException e) {
      return NONE;
    } catch (IOException e) {
      if (Files.exists(file))
        warn.accept(
            "cannot read " + file + " (" + e.getMessage() + "); its patterns are not applied");
      return NONE;
    }
  }

  private static IgnoreNode node(List<String> patterns) {
    if (patterns.isEmpty()) return NONE;
    IgnoreNode node = new IgnoreNode();
    try {
      node.parse(
          new java.io.ByteArrayInputStream(
              String.join("\n", patterns).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return node;
  }
}
