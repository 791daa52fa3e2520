package dev.pmj.output;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files of pmj's own folder ({@code .pmj/}): what they hold may be secret (the token, what
 * processes print), and the folder may hold links someone else planted. They are opened without
 * following a link, 0600, in folders 0700. Where files have no POSIX modes (Windows) they inherit
 * the user's profile ACLs.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /** Whether files here have POSIX modes. */
  public static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Sets the mode of {@code p} itself, never of what a link points to. */
  public static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
    if (!posix(p)) return;
    Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setPermissions(mode);
  }

  /**
   * Creates the folder {@code dir}, 0700.
   *
   * @throws java.nio.file.FileAlreadyExistsException when something is there already
   */
  public static void createFolder(Path dir) throws IOException {
    if (posix(dir)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
    } else {
      Files.createDirectory(dir);
    }
  }

  /**
   * Opens {@code file} with {@code options}, never through a link; a new file is 0600, and one an
   * earlier version made 0644 becomes 0600.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> o = new HashSet<>(List.of(options));
    o.add(LinkOption.NOFOLLOW_LINKS);
    FileChannel c =
        posix(file)
            ? FileChannel.open(file, o, PosixFilePermissions.asFileAttribute(FILE))
            : FileChannel.open(file, o, new FileAttribute<?>[0]);
    try {
      setMode(file, FILE);
    } catch (IOException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
