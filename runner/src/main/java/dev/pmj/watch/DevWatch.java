package dev.pmj.watch;

import dev.pmj.config.ProcessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * devMode for a set of processes: each watches its {@code watchPaths} (folders recursively, or
 * single files), minus its ignore rules, and reports one {@link Change} per settled burst.
 *
 * <p>Threads: one {@code pmj-watch-ID} per watched root owns the OS watch; the {@code pmj-watch}
 * thread owns everything else (the debouncer, the roots' state), so nothing here is locked. Roots
 * that do not exist yet, or that are deleted and created again, are found by a light poll of the
 * roots themselves (a few {@code stat} calls every {@value #POLL_MS} ms).
 */
public final class DevWatch implements AutoCloseable {
  /** Where changes and pmj's messages about watching go. */
  public interface Sink {
    /**
     * A process's files changed: restart it. {@code description} says which, for people
     * ("src/app.py changed (+12 more)"). Called on the {@code pmj-watch} thread.
     */
    void changed(Change change, String description);

    /** A line for pmj's output about process {@code processId}. */
    void notice(String processId, String text);
  }

  static final long POLL_MS = 200;
  private static final long SUGGESTED_WATCHES = 524288;

  private final Path projectDir;
  private final TreeWatcher os;
  private final Sink sink;
  private final ScheduledExecutorService timer;
  private final Debouncer debouncer = new Debouncer();
  private final RestartStorms storms = new RestartStorms();
  private final java.util.function.Predicate<Path> own;
  private final List<Proc> procs = new ArrayList<>();
  private final AtomicBoolean limitReported = new AtomicBoolean();
  private final Set<Path> warned = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> fire;
  private volatile boolean closed;

  private static final class Proc {
    final ProcessSpec spec;
    final IgnoreRules rules;
    final long quietNanos;
    final Path cwd;
    final List<Root> roots = new ArrayList<>();
    int folders;
    boolean announced;

    Proc(ProcessSpec spec, IgnoreRules rules, Path cwd) {
      this.spec = spec;
      this.rules = rules;
      this.cwd = cwd;
      this.quietNanos = spec.watch().debounce().toNanos();
    }
  }

  private final class Root {
    final Proc proc;
    final Path declared;
    Path dir;
    Path onlyFile;
    Object fileKey;
    TreeWatcher.Watch watch;
    boolean settled;
    boolean failed;

    Root(Proc proc, Path declared) {
      this.proc = proc;
      this.declared = declared;
    }

    /** What is watched: the single file, or the folder. */
    Path target() {
      return onlyFile != null ? onlyFile : dir;
    }

    TreeWatcher.Filter filter() {
      return new TreeWatcher.Filter() {
        @Override
        public boolean ignored(Path path, boolean directory) {
          if (onlyFile != null) return directory || !path.equals(onlyFile) || own.test(path);
          return own.test(path) || proc.rules.ignored(dir, path, directory);
        }

        @Override
        public boolean ignoredEntry(Path path, boolean directory) {
          if (onlyFile != null) return directory || !path.equals(onlyFile) || own.test(path);
          return own.test(path) || proc.rules.matches(dir, path, directory);
        }
      };
    }
  }

  private DevWatch(
      Path projectDir, TreeWatcher os, Sink sink, java.util.function.Predicate<Path> own) {
    this.projectDir = projectDir;
    this.own = own;
    this.os = os;
    this.sink = sink;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pmj-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts watching for {@code processes}; returns at once (registering runs on the watch threads,
   * and each process's {@code watching ...} notice says when it is done).
   */
  public static DevWatch start(
      Path projectDir, List<ProcessSpec> processes, TreeWatcher os, Sink sink) {
    return start(projectDir, processes, os, sink, path -> false);
  }

  /**
   * @param own pmj's own files ({@link OwnFiles#contains}), asked for each path, as a real path:
   *     never a reason to restart
   */
  public static DevWatch start(
      Path projectDir,
      List<ProcessSpec> processes,
      TreeWatcher os,
      Sink sink,
      java.util.function.Predicate<Path> own) {
    Path real = realOr(projectDir);
    DevWatch w = new DevWatch(real, os, sink, own);
    Path gitRoot = IgnoreRules.gitRootOf(real);
    for (ProcessSpec spec : processes) {
      Path cwd = realOr(spec.cwd());
      Proc p =
          new Proc(
              spec,
              new IgnoreRules(
                  gitRoot, cwd, spec.watch().ignore(), text -> sink.notice(spec.id(), text)),
              cwd);
      for (Path declared : spec.watch().paths()) p.roots.add(w.new Root(p, declared));
      w.procs.add(p);
    }
    w.timer.execute(
        () -> {
          for (Proc p : w.procs) for (Root r : p.roots) w.open(r, false);
        });
    w.timer.scheduleWithFixedDelay(w::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    return w;
  }

  // ---- on the pmj-watch thread ----

  /** Starts the OS watch of a root if it exists; {@code appeared}: it was missing until now. */
  private void open(Root r, boolean appeared) {
    if (closed) return;
    Path real;
    BasicFileAttributes attrs;
    try {
      real = r.declared.toRealPath();
      attrs = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      r.settled = true;
      announce(r.proc);
      return;
    }
    r.dir = attrs.isDirectory() ? real : real.getParent();
    r.onlyFile = attrs.isDirectory() ? null : real;
    r.fileKey = keyOf(r.dir);
    try {
      r.watch = os.open(r.dir, r.filter(), events(r));
    } catch (IOException e) {
      failed(r, e);
      return;
    }
    TreeWatcher.Watch watch = r.watch;
    Thread t =
        new Thread(
            () -> {
              try {
                watch.run();
              } catch (IOException e) {
                timer.execute(
                    () -> {
                      if (r.watch == watch) failed(r, e);
                    });
              }
            },
            "pmj-watch-" + r.proc.spec.id());
    t.setDaemon(true);
    t.start();
    if (appeared) changed(r.proc, r.target());
  }

  private TreeWatcher.Events events(Root r) {
    return new TreeWatcher.Events() {
      @Override
      public void registered(int folders) {
        timer.execute(
            () -> {
              r.proc.folders += folders;
              r.settled = true;
              announce(r.proc);
            });
      }

      @Override
      public void changed(Path path, boolean directory) {
        timer.execute(() -> DevWatch.this.changed(r.proc, path));
      }

      @Override
      public void overflow() {
        timer.execute(() -> DevWatch.this.changed(r.proc, r.dir));
      }

      @Override
      public void failed(Path path, IOException e) {
        if (isLimit(e)) {
          timer.execute(() -> DevWatch.this.failed(r, e));
        } else if (warned.add(path)) {
          sink.notice(
              r.proc.spec.id(), "cannot watch " + shown(path) + " (" + reason(e) + "); skipped");
        }
      }
    };
  }

  private void changed(Proc p, Path path) {
    if (closed || own.test(path)) return;
    if (path.getFileName() != null && path.getFileName().toString().equals(".gitignore"))
      p.rules.forget(path);
    debouncer.changed(p.spec.id(), path, p.quietNanos, System.nanoTime());
    reschedule();
  }

  private void reschedule() {
    if (fire != null) fire.cancel(false);
    fire = null;
    long now = System.nanoTime();
    long due = debouncer.nextDue(now);
    if (due != Long.MAX_VALUE)
      fire = timer.schedule(this::fireDue, due - now, TimeUnit.NANOSECONDS);
  }

  private void fireDue() {
    if (closed) return;
    long now = System.nanoTime();
    for (Change c : debouncer.due(now, Files::exists)) {
      sink.changed(c, c.describe(projectDir));
      RestartStorms.Storm storm = storms.restarted(c.processId(), c.first(), now);
      if (storm != null) {
        Path cwd = projectDir;
        for (Proc p : procs) if (p.spec.id().equals(c.processId())) cwd = p.cwd;
        sink.notice(c.processId(), RestartStorms.describe(storm, projectDir, cwd));
      }
    }
    reschedule();
  }

  /** Roots that appeared, vanished, or were replaced by a new folder of the same name. */
  private void poll() {
    if (closed) return;
    for (Proc p : procs) {
      for (Root r : p.roots) {
        if (r.watch == null) {
          if (r.settled && !r.failed && Files.exists(r.declared)) open(r, true);
        } else if (!Objects.equals(keyOf(r.dir), r.fileKey)) {
          closeWatch(r);
          Path gone = r.target();
          if (Files.exists(r.declared)) {
            open(r, true);
          } else {
            changed(p, gone);
          }
        }
      }
    }
  }

  private void announce(Proc p) {
    if (p.announced) return;
    for (Root r : p.roots) if (!r.settled) return;
    p.announced = true;
    List<String> watching = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Root r : p.roots) {
      if (r.watch != null) watching.add(shown(r.target()));
      else if (!r.failed) missing.add(shown(r.declared));
    }
    StringBuilder text = new StringBuilder();
    if (!watching.isEmpty()) {
      text.append("watching ")
          .append(String.join(", ", watching))
          .append(" (")
          .append(p.folders)
          .append(p.folders == 1 ? " folder" : " folders")
          .append("; devMode)");
    }
    if (!missing.isEmpty()) {
      if (text.length() > 0) text.append("; ");
      text.append(String.join(", ", missing))
          .append(missing.size() == 1 ? " does" : " do")
          .append(" not exist yet: watched once created");
    }
    if (text.length() > 0) sink.notice(p.spec.id(), text.toString());
  }

  private void failed(Root r, IOException e) {
    closeWatch(r);
    r.failed = true;
    r.settled = true;
    String id = r.proc.spec.id();
    if (isLimit(e)) {
      if (limitReported.compareAndSet(false, true)) sink.notice(id, limitMessage(e));
    } else {
      sink.notice(
          id,
          "cannot watch "
              + shown(r.dir)
              + " ("
              + reason(e)
              + "); it runs on without restarts on change");
    }
    announce(r.proc);
  }

  private void closeWatch(Root r) {
    TreeWatcher.Watch w = r.watch;
    r.watch = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException ignored) {
        // closing frees the OS's watches; nothing else to do when it fails
      }
    }
  }

  // ---- helpers ----

  static boolean isLimit(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("inotify watches") || m.contains("inotify instances");
  }

  static String limitMessage(IOException e) {
    String m = String.valueOf(e.getMessage());
    String key =
        m.contains("inotify instances")
            ? "fs.inotify.max_user_instances"
            : "fs.inotify.max_user_watches";
    long current = -1;
    try {
      // Files.readString reads only the first byte of a /proc/sys file (its size says 0).
      try (java.io.InputStream in =
          Files.newInputStream(Path.of("/proc/sys/" + key.replace('.', '/')))) {
        current =
            Long.parseLong(
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
      }
    } catch (IOException | NumberFormatException | UnsupportedOperationException ignored) {
      // not Linux, or not readable: say it without the current value
    }
    long suggested =
        key.endsWith("watches")
            ? Math.max(SUGGESTED_WATCHES, current * 2)
            : Math.max(1024, current * 2);
    return "cannot watch every folder: the OS limit "
        + key
        + (current > 0 ? " (" + current + ")" : "")
        + " is reached; raise it with: sudo sysctl "
        + key
        + "="
        + suggested
        + " (add that line to /etc/sysctl.conf to keep it)."
        + " Processes keep running; files not watched do not restart them.";
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName().replace("Exception", "");
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    if (e instanceof java.nio.file.NoSuchFileException) return "no such file or folder";
    return m == null ? kind : m;
  }

  private String shown(Path p) {
    if (p.equals(projectDir)) return ".";
    return (p.startsWith(projectDir) ? projectDir.relativize(p) : p).toString().replace('\\', '/');
  }

  private static Object keyOf(Path dir) {
    try {
      BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
      Object key = a.fileKey();
      return key != null ? key : a.creationTime();
    } catch (IOException e) {
      return null;
    }
  }

  private static Path realOr(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      timer
          .submit(
              () -> {
                for (Proc p : procs) for (Root r : p.roots) closeWatch(r);
              })
          .get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the watch threads are daemons; the OS frees their watches when pmj exits
    }
    timer.shutdownNow();
  }
}
