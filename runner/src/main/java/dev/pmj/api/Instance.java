package dev.pmj.api;

import dev.pmj.output.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one running pmj of a project (README, "From a second terminal"): {@code .pmj/} beside the
 * ecosystem file (0700, with a {@code .gitignore} of {@code *}), an OS lock on {@code
 * .pmj/instance.lock} held for the whole run, and {@code .pmj/state.json} (0600) that tells clients
 * where the API is. "An instance runs" means "the lock is held": a state file left by a killed pmj
 * is stale and replaced.
 *
 * <p>{@code .pmj/} holds the run's token, so pmj trusts it only when it is a real folder of the
 * user running pmj, holding nothing pmj would not make (no links, no other user's files): a folder
 * someone else could write must not get pmj to write where they choose, or hand them the token.
 * Files are created without following links, 0600; folders 0700.
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

  /** {@code .pmj/}, or something in it, is not pmj's to use: {@link #problem} says why. */
  public static final class Untrusted extends IOException {
    private final transient Path path;
    private final String problem;

    Untrusted(Path path, String problem) {
      super(path + ": " + problem, null);
      this.path = path;
      this.problem = problem;
    }

    /** What is refused. */
    public Path path() {
      return path;
    }

    /** What is wrong with it, such as "it is a symbolic link". */
    public String problem() {
      return problem;
    }
  }

  /** What a control command finds of a project's pmj (README, "From a second terminal"). */
  public sealed interface Found permits Running, Starting, NotRunning {}

  /** A pmj holds the lock and its state file says where its API is. */
  public record Running(State state) implements Found {}

  /** A pmj holds the lock but has not said where its API is yet. */
  public record Starting() implements Found {}

  /**
   * No pmj holds the lock; {@code removedStale} when a state file left by an ended run was there
   * (it is removed: it is nobody's address).
   */
  public record NotRunning(boolean removedStale) implements Found {}

  static final String STATE = "state.json";
  static final String LOCK = "instance.lock";
  static final String LOGS = "logs";

  /** The page {@code pmj open} gives the browser: it holds the token, so it lives in .pmj/. */
  static final String OPEN_PAGE = "dashboard.html";

  private static final Set<PosixFilePermission> FILE_MODE = PrivateFiles.FILE;
  private static final Set<PosixFilePermission> FOLDER_MODE = PrivateFiles.FOLDER;

  /**
   * The lock files this JVM holds. An OS lock belongs to the process, and closing any channel of
   * the same file releases it, even one opened only to ask: so this JVM never opens another channel
   * of a lock it holds (tests run pmj and its commands in one JVM). Process-wide, as the lock is.
   */
  private static final Set<Path> HELD_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static boolean heldHere(Path lockFile) {
    return HELD_HERE.contains(lockFile.toAbsolutePath().normalize());
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
    Path dir = dirOf(ecosystemFile);
    // Before prepare(), which opens the lock file to set its mode: that would release the lock.
    if (heldHere(dir.resolve(LOCK))) throw new AlreadyRunning(readState(dir));
    prepare(ecosystemFile);
    FileChannel channel =
        PrivateFiles.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
    HELD_HERE.add(dir.resolve(LOCK).toAbsolutePath().normalize());
    // What a killed run left names its port and token: with the lock now held, a command would
    // trust it until this run publishes its own, and send the old token to whoever has that port.
    Files.deleteIfExists(dir.resolve(STATE));
    Files.deleteIfExists(dir.resolve(OPEN_PAGE));
    return new Instance(dir, channel, lock);
  }

  /**
   * Creates the instance folder (0700, with its .gitignore) when it does not exist yet, after
   * checking what is there ({@link #check}).
   *
   * @throws Untrusted when it is not pmj's to use (nothing was written)
   */
  public static Path prepare(Path ecosystemFile) throws IOException {
    Path dir = dirOf(ecosystemFile);
    check(dir);
    try {
      PrivateFiles.createFolder(dir);
    } catch (FileAlreadyExistsException e) {
      // kept from an earlier run, checked above
    }
    check(dir); // made by someone else between the check and the creation?
    PrivateFiles.setMode(dir, FOLDER_MODE);
    // What an earlier version made with the usual 0644 and 0755 becomes private too.
    for (Path e : FolderTrust.list(dir)) {
      if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
        if (!e.getFileName().toString().equals(LOGS)) continue;
        PrivateFiles.setMode(e, FOLDER_MODE);
        for (Path log : FolderTrust.list(e)) PrivateFiles.setMode(log, FILE_MODE);
      } else {
        PrivateFiles.setMode(e, FILE_MODE);
      }
    }
    Path ignore = dir.resolve(".gitignore");
    if (!Files.exists(ignore, LinkOption.NOFOLLOW_LINKS)) {
      try (FileChannel c =
          PrivateFiles.open(ignore, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        c.write(ByteBuffer.wrap("*\n".getBytes(StandardCharsets.UTF_8)));
      } catch (FileAlreadyExistsException e) {
        // another pmj wrote it meanwhile
      }
    }
    return dir;
  }

  /**
   * Checks that {@code dir} (a project's .pmj) may be trusted (see {@link FolderTrust}); does
   * nothing when it does not exist.
   *
   * @throws Untrusted naming the first thing that is not pmj's to use
   */
  public static void check(Path dir) throws IOException {
    FolderTrust.check(dir);
  }

  /** Replaces {@code name} in {@code dir} with {@code text} (0600; never seen half written). */
  private static Path writePrivate(Path dir, String name, String text) throws IOException {
    Path tmp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel c =
        PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) c.write(b);
    }
    Path target = dir.resolve(name);
    // A rename replaces a link of that name; it never writes where the link points.
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * Appends {@code text} to {@code name} in a prepared {@code dir} (pmj.log), creating it 0600;
   * never through a link.
   */
  public static Path append(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (FileChannel c =
        PrivateFiles.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) c.write(b);
    }
    return file;
  }

  /**
   * Writes the page that {@code pmj open} gives the browser: it sends the browser on to the
   * dashboard address, so that the token is in a 0600 file of .pmj/ and never on a command line.
   */
  public static Path writeOpenPage(Path dir, State s) throws IOException {
    String url = s.dashboard(); // base64url and digits: nothing to escape in HTML or JavaScript
    return writePrivate(
        dir,
        OPEN_PAGE,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
            + "<meta http-equiv=\"refresh\" content=\"0;url="
            + url
            + "\">\n<title>pmj</title></head>\n<body><p>Opening the <a href=\""
            + url
            + "\">pmj dashboard</a>.</p>\n"
            + "<script>location.replace(\""
            + url
            + "\");</script></body></html>\n");
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
    writePrivate(dir, STATE, json + "\n");
  }

  /** What the state file of a project's instance says; empty when there is none or it is broken. */
  public static Optional<State> readState(Path dir) {
    try {
      String text;
      try (InputStream in = Files.newInputStream(dir.resolve(STATE), LinkOption.NOFOLLOW_LINKS)) {
        text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      }
      Map<String, Object> o = Json.object(Json.parse(text));
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
   * What runs of the project whose .pmj is {@code dir}, for a control command: its state file is
   * trusted only while a pmj holds the lock (a pmj killed before it could remove the file leaves an
   * address that another program may have taken since, and the file's token must never go there). A
   * state file without a held lock is removed, under the lock, so that a pmj starting at that
   * moment cannot lose the one it writes.
   *
   * @throws Untrusted when .pmj is not pmj's to use (nothing was read)
   */
  public static Found find(Path dir) throws IOException {
    check(dir);
    Path lockFile = dir.resolve(LOCK);
    Path state = dir.resolve(STATE);
    if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      return new NotRunning(Files.deleteIfExists(state));
    }
    if (heldHere(lockFile)) {
      Optional<State> s = readState(dir);
      return s.isPresent() ? new Running(s.get()) : new Starting();
    }
    try (FileChannel c =
        FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock l;
      try {
        l = c.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // this JVM runs the pmj that holds it (tests run pmj in-process)
      }
      if (l != null) {
        try {
          return new NotRunning(Files.deleteIfExists(state));
        } finally {
          l.release();
        }
      }
    }
    Optional<State> s = readState(dir);
    return s.isPresent() ? new Running(s.get()) : new Starting();
  }

  /**
   * Whether a pmj holds the lock of this instance folder now. Asked without taking the lock for
   * longer than a test: a pmj starting at that moment would think another one runs, so callers ask
   * only when the API did not answer.
   */
  public static boolean isHeld(Path dir) {
    Path file = dir.resolve(LOCK);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return false;
    if (heldHere(file)) return true;
    try (FileChannel c =
        FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
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
    Path file = dir.resolve(LOCK);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
    while (heldHere(file)) {
      // The pmj of this JVM: no OS call can wait for it without releasing its lock.
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try (FileChannel c =
        FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      c.lock().release();
    }
  }

  /** Removes the state file (and the page pmj open wrote) and gives the lock back. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(dir.resolve(STATE));
      Files.deleteIfExists(dir.resolve(OPEN_PAGE));
    } catch (IOException e) {
      // a stale state file is harmless: the lock decides
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released when the process ends anyway
    }
    HELD_HERE.remove(dir.resolve(LOCK).toAbsolutePath().normalize());
  }
}
