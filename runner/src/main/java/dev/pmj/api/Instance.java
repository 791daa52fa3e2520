package dev.pmj.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one running pmj of a project (SPEC §7.1): {@code .pmj/} beside the ecosystem file (0700, with
 * a {@code .gitignore} of {@code *}), an OS lock on {@code .pmj/instance.lock} held for the whole
 * run, and {@code .pmj/state.json} (0600) that tells clients where the API is. "An instance runs"
 * means "the lock is held": a state file left by a killed pmj is stale and replaced.
 */
public final class Instance implements AutoCloseable {
  /** What a client needs to reach a running pmj. */
  public record State(
      long pid, int port, String token, String file, String version, Instant startedAt) {
    /** The address that opens the dashboard (and sets its cookie). */
    public String dashboard() {
      return "http://127.0.0.1:" + port + "/?token=" + token;
    }

    public String base() {
      return "http://127.0.0.1:" + port;
    }
  }

  /** Another pmj holds the lock: what its state file says, if it says anything yet. */
  public static final class AlreadyRunning extends Exception {
    private final transient Optional<State> state;

    AlreadyRunning(Optional<State> state) {
      super("already running", null, false, false);
      this.state = state;
    }

    public Optional<State> state() {
      return state;
    }
  }

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private Instance(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The folder of a project's instance: {@code .pmj} beside its ecosystem file. */
  public static Path dirOf(Path ecosystemFile) {
    return ecosystemFile.toAbsolutePath().normalize().getParent().resolve(".pmj");
  }

  /**
   * Takes the project's instance for this process.
   *
   * @throws AlreadyRunning when another pmj holds it
   */
  public static Instance claim(Path ecosystemFile) throws IOException, AlreadyRunning {
    Path dir = prepare(ecosystemFile);
    FileChannel channel =
        FileChannel.open(
            dir.resolve("instance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = null;
    // A client asking whether pmj runs holds the lock for an instant: try a few times.
    for (int attempt = 0; attempt < 5 && lock == null; attempt++) {
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        break;
      }
      if (lock == null) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (lock == null) {
      channel.close();
      throw new AlreadyRunning(readState(dir));
    }
    return new Instance(dir, channel, lock);
  }

  /** Creates the instance folder (0700, with its .gitignore) when it does not exist yet. */
  public static Path prepare(Path ecosystemFile) throws IOException {
    Path dir = dirOf(ecosystemFile);
    createPrivateDir(dir);
    Path ignore = dir.resolve(".gitignore");
    if (!Files.exists(ignore)) {
      Files.writeString(ignore, "*\n", StandardCharsets.UTF_8);
    }
    return dir;
  }

  private static void createPrivateDir(Path dir) throws IOException {
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // kept from an earlier run
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system (Windows): the folder inherits the user's profile ACLs
    }
  }

  public Path dir() {
    return dir;
  }

  /** Writes the state file for clients (0600, replaced by rename: never seen half written). */
  public void publish(State s) throws IOException {
    String json =
        Json.write(
            g -> {
              g.writeStartObject();
              g.writeNumberField("pid", s.pid());
              g.writeNumberField("port", s.port());
              g.writeStringField("token", s.token());
              g.writeStringField("file", s.file());
              g.writeStringField("version", s.version());
              g.writeStringField("startedAt", Codec.time(s.startedAt()));
              g.writeEndObject();
            });
    Path tmp = dir.resolve("state.json." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve("state.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** What the state file of a project's instance says; empty when there is none or it is broken. */
  public static Optional<State> readState(Path dir) {
    try {
      Map<String, Object> o = Json.object(Json.parse(Files.readString(dir.resolve("state.json"))));
      String token = Json.string(o, "token");
      int port = (int) Json.number(o, "port", 0);
      if (token == null || port <= 0) return Optional.empty();
      return Optional.of(
          new State(
              Json.number(o, "pid", 0),
              port,
              token,
              Json.string(o, "file"),
              Json.string(o, "version"),
              Codec.instant(o.get("startedAt"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a pmj holds the lock of this instance folder now. Asked without taking the lock for
   * longer than a test: a pmj starting at that moment would think another one runs, so callers ask
   * only when the API did not answer.
   */
  public static boolean isHeld(Path dir) {
    Path file = dir.resolve("instance.lock");
    if (!Files.exists(file)) return false;
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock l = c.tryLock();
      if (l == null) return true;
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until no pmj holds the lock of this instance folder: the OS wakes this call when the
   * holder gives it back (or ends). Returns at once when none holds it.
   */
  public static void awaitRelease(Path dir) throws IOException {
    Path file = dir.resolve("instance.lock");
    if (!Files.exists(file)) return;
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.lock().release();
    }
  }

  /** Removes the state file and gives the lock back. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(dir.resolve("state.json"));
    } catch (IOException e) {
      // a stale state file is harmless: the lock decides
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released when the process ends anyway
    }
  }
}
