package dev.pmj.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that is appended to and rotated by size: when the next write would pass {@code
 * maxSize}, {@code ID.log} is renamed to {@code ID.log.1} (older ones move up, the oldest beyond
 * {@code maxFiles} is deleted) and a new {@code ID.log} is opened. Rename and reopen, never copy
 * and truncate: a line is never lost or written twice. Only whole writes of lines are passed in, so
 * a line never spans two files. Not thread-safe: one writer thread owns it.
 *
 * <p>A file of pmj's own folder ({@code .pmj/logs/}, {@code private}) is opened without following a
 * link, and is 0600 in a 0700 folder: what processes print may be secret.
 */
final class RotatingFile implements AutoCloseable {
  private final Path file;
  private final long maxSize;
  private final int maxFiles;
  private final boolean own;
  private OutputStream out;
  private long size;

  RotatingFile(Path file, long maxSize, int maxFiles) {
    this(file, maxSize, maxFiles, false);
  }

  /**
   * @param own a file of pmj's own folder: never through a link, 0600 (folder 0700)
   */
  RotatingFile(Path file, long maxSize, int maxFiles, boolean own) {
    this.file = file;
    this.maxSize = maxSize;
    this.maxFiles = maxFiles;
    this.own = own;
  }

  Path file() {
    return file;
  }

  /** Whether this is the file {@code file} rotated the same way. */
  boolean sameAs(Path file, long maxSize, int maxFiles) {
    return this.file.equals(file) && this.maxSize == maxSize && this.maxFiles == maxFiles;
  }

  /** Appends {@code len} bytes (whole lines), rotating first when they would not fit. */
  void write(byte[] b, int off, int len) throws IOException {
    if (out == null) open();
    if (size > 0 && size + len > maxSize && rotatable()) {
      rotate();
      open();
    }
    out.write(b, off, len);
    size += len;
  }

  void flush() throws IOException {
    if (out != null) out.flush();
  }

  private void open() throws IOException {
    if (own) {
      openOwn();
      return;
    }
    Path parent = file.getParent();
    if (parent != null) Files.createDirectories(parent);
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.isRegularFile(file) ? Files.size(file) : 0;
  }

  private void openOwn() throws IOException {
    Path parent = file.getParent();
    if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
      try {
        PrivateFiles.createFolder(parent);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made meanwhile
      }
    }
    FileChannel channel =
        PrivateFiles.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    try {
      size = channel.size();
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    out = Channels.newOutputStream(channel);
  }

  /** Only regular files are renamed: never /dev/null or another device given as logFile. */
  private boolean rotatable() {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  private void rotate() throws IOException {
    closeQuietly();
    if (maxFiles <= 0) {
      Files.deleteIfExists(file);
      return;
    }
    Files.deleteIfExists(numbered(maxFiles));
    for (int n = maxFiles - 1; n >= 1; n--) {
      Path from = numbered(n);
      if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(from, numbered(n + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.move(file, numbered(1), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path numbered(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** Closes the file after a failed write, so that the next write opens it again. */
  void reset() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      // reopened on the next write
    }
    out = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
