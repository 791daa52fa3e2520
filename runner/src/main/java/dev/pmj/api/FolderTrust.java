package dev.pmj.api;

import dev.pmj.output.PrivateFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a project's .pmj may be trusted (README, "From a second terminal"): another user may have
 * planted it, or a link in it, to have pmj write where they choose or read what they wrote.
 */
final class FolderTrust {
  private FolderTrust() {}

  /**
   * Checks that {@code dir} (a project's .pmj) may be trusted: a real folder (not a link) of the
   * user running pmj, and everything in it (and in its logs/) a file of that user, not a link. Does
   * nothing when it does not exist.
   *
   * @throws Untrusted naming the first thing that is not pmj's to use
   */
  static void check(Path dir) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (a.isSymbolicLink())
      throw new Instance.Untrusted(dir, "it is a symbolic link, not a folder");
    if (!a.isDirectory()) throw new Instance.Untrusted(dir, "it is not a folder");
    UserPrincipal me = currentUser(dir);
    checkOwner(dir, me);
    List<Path> entries = list(dir);
    for (Path e : entries) {
      try {
        BasicFileAttributes ea =
            Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (ea.isDirectory() && e.getFileName().toString().equals(Instance.LOGS)) {
          checkOwner(e, me);
          for (Path log : list(e)) checkGone(log, me);
        } else if (!ea.isDirectory()) {
          checkFile(e, me);
        }
      } catch (java.nio.file.NoSuchFileException gone) {
        // Gone since the listing (a running pmj's state.json.PID.tmp renamed into place): a file
        // that is no longer there cannot be used.
      }
    }
  }

  private static void checkGone(Path file, UserPrincipal me) throws IOException {
    try {
      checkFile(file, me);
    } catch (java.nio.file.NoSuchFileException gone) {
      // rotated away since the listing
    }
  }

  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) out.add(p);
    }
    return out;
  }

  private static void checkFile(Path file, UserPrincipal me) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) throw new Instance.Untrusted(file, "it is a symbolic link, not a file");
    if (!a.isRegularFile()) throw new Instance.Untrusted(file, "it is not a regular file");
    checkOwner(file, me);
  }

  private static void checkOwner(Path p, UserPrincipal me) throws IOException {
    if (me == null) return;
    UserPrincipal owner =
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner();
    if (!owner.equals(me)) {
      throw new Instance.Untrusted(
          p, "it belongs to " + owner.getName() + ", not to " + me.getName() + " who runs pmj");
    }
  }

  /**
   * The user running pmj, where files have POSIX owners; null where they do not (Windows: a folder
   * made by an elevated user belongs to Administrators) or when this user cannot be named.
   */
  private static UserPrincipal currentUser(Path dir) {
    if (!PrivateFiles.posix(dir)) return null;
    try {
      return dir.getFileSystem()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | RuntimeException e) {
      // a user without a name (a container's bare uid): Linux says whose this process is
    }
    try {
      return Files.getOwner(Path.of("/proc/self"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
