package dev.pmj.watch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files devMode never restarts a process for, because they are pmj's own (README, "devMode"):
 * the ecosystem file and its env files (their changes are reload's business), and what pmj writes:
 * log files (with their rotated copies, {@code api.log.1}), the {@code logDir}, and its own stdout
 * or stderr when they are files. Without this, a process watching the project folder restarts on
 * every line pmj writes to {@code pmj up > up.log}, for ever.
 *
 * @param ecosystemFiles the ecosystem file(s); an editor's copy saved beside one and renamed over
 *     it ({@code pmj.yaml.tmp}) is one of them too
 * @param files other files, matched exactly (env files, pmj's stdout and stderr)
 * @param logFiles log files, with their rotated copies ({@code NAME.1}, {@code NAME.2}, ...)
 * @param folders folders whose every file is pmj's ({@code logDir})
 */
public record OwnFiles(
    List<Path> ecosystemFiles, List<Path> files, List<Path> logFiles, List<Path> folders) {

  public static final OwnFiles NONE = new OwnFiles(List.of(), List.of(), List.of(), List.of());

  public OwnFiles {
    ecosystemFiles = canonical(ecosystemFiles);
    files = canonical(files);
    logFiles = canonical(logFiles);
    folders = canonical(folders);
  }

  /** Whether {@code path} (a real path, as the watch reports it) is one of pmj's own. */
  public boolean contains(Path path) {
    if (files.contains(path) || ecosystemFiles.contains(path) || logFiles.contains(path))
      return true;
    for (Path f : folders) if (path.startsWith(f)) return true;
    Path name = path.getFileName();
    if (name == null) return false;
    String n = name.toString();
    for (Path f : ecosystemFiles) {
      if (sameFolder(f, path) && n.startsWith(f.getFileName() + ".")) return true;
    }
    for (Path f : logFiles) {
      String base = f.getFileName() + ".";
      if (sameFolder(f, path)
          && n.length() > base.length()
          && n.startsWith(base)
          && n.substring(base.length()).chars().allMatch(Character::isDigit)) return true;
    }
    return false;
  }

  private static boolean sameFolder(Path a, Path b) {
    return a.getParent() != null && a.getParent().equals(b.getParent());
  }

  /**
   * Each path as a watch reports it: its folder's real path and its own name (a file that does not
   * exist yet, such as a missing .env, is named the same way), and its real path when it is a link.
   */
  private static List<Path> canonical(List<Path> paths) {
    Set<Path> out = new LinkedHashSet<>();
    for (Path p : paths) {
      Path abs = p.toAbsolutePath().normalize();
      Path parent = abs.getParent();
      Path name = abs.getFileName();
      out.add(parent == null || name == null ? abs : real(parent).resolve(name));
      try {
        out.add(abs.toRealPath());
      } catch (IOException e) {
        // not there yet: its name is enough
      }
    }
    return List.copyOf(out);
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      Path parent = p.getParent();
      return parent == null || p.getFileName() == null ? p : real(parent).resolve(p.getFileName());
    }
  }
}
