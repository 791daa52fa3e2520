package dev.pmj.output;

import dev.pmj.config.ProcessSpec;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes each process's output to its {@code logFile} (README, "From a second terminal"), every
 * line after its time ({@code 2026-11-29T20:49:55.123Z }), rotated by size. A lossless subscriber
 * of the event stream with a thread of its own, so that files never slow the terminal. A file that
 * cannot be written is reported once and tried again a second later; its lines meanwhile are
 * counted and reported when writing works again (they stay in the ring buffer for {@code pmj
 * logs}).
 */
public final class LogFiles implements EventStream.Subscriber, AutoCloseable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long RETRY_NANOS = 1_000_000_000L;
  private final long retryNanos;

  /** Changed on the subscriber's thread only; read by publishers too ({@link #wantsOutputOf}). */
  private final Map<String, Sink> sinks = new java.util.concurrent.ConcurrentHashMap<>();

  private final BiConsumer<String, String> notice;

  /** One file and what is buffered for it. */
  private static final class Sink {
    final RotatingFile file;
    final byte[] buf = new byte[1 << 16];
    int used;

    /** Lines in {@link #buf}, so that a failed write can say how many it lost. */
    long pending;

    boolean failing;
    long failedAt;
    long linesLost;

    Sink(RotatingFile file) {
      this.file = file;
    }
  }

  private final java.util.function.Function<String, ProcessSpec> specs;

  /**
   * @param specs the definition of a process by id (for processes added later)
   * @param notice tells the user about a process's log file (process id, text), as a pmj line
   */
  public LogFiles(
      List<ProcessSpec> processes,
      java.util.function.Function<String, ProcessSpec> specs,
      BiConsumer<String, String> notice) {
    this(processes, specs, notice, null, RETRY_NANOS);
  }

  /**
   * @param fallbackDir where the output of processes without a logFile goes, as {@code ID.log} (pmj
   *     up -d: it has to go somewhere); null for nowhere. pmj's own folder: its files are made
   *     0600, never through a link
   */
  public LogFiles(
      List<ProcessSpec> processes,
      java.util.function.Function<String, ProcessSpec> specs,
      BiConsumer<String, String> notice,
      Path fallbackDir) {
    this(processes, specs, notice, fallbackDir, RETRY_NANOS);
  }

  /**
   * @param retryNanos how long a file that could not be written rests before the next try
   */
  LogFiles(
      List<ProcessSpec> processes,
      java.util.function.Function<String, ProcessSpec> specs,
      BiConsumer<String, String> notice,
      Path fallbackDir,
      long retryNanos) {
    this.fallbackDir = fallbackDir;
    this.retryNanos = retryNanos;
    this.specs = specs;
    this.notice = notice;
    for (ProcessSpec p : processes) add(p);
  }

  /**
   * Only the output of processes that write a file: one open now (a run that goes on writing where
   * it started), or one their definition names (a process given a logFile by a reload is restarted,
   * so its new run's output is asked about after the change).
   */
  @Override
  public boolean wantsOutputOf(String processId) {
    if (fallbackDir != null || sinks.containsKey(processId)) return true;
    ProcessSpec p = specs.apply(processId);
    return p != null && p.logs().file() != null;
  }

  /** Where processes without a logFile write (pmj up -d), or null. */
  private final Path fallbackDir;

  /** Opens (or keeps) the file a process's definition asks for. */
  private void add(ProcessSpec p) {
    Path file =
        p.logs().file() != null
            ? p.logs().file()
            : fallbackDir != null ? fallbackDir.resolve(p.id() + ".log") : null;
    Sink now = sinks.get(p.id());
    if (now != null && now.file.sameAs(file, p.logs().maxSize(), p.logs().maxFiles())) return;
    if (now != null) {
      flush(p.id(), now);
      now.file.close();
      sinks.remove(p.id());
    }
    if (file != null) {
      boolean own = fallbackDir != null && file.startsWith(fallbackDir);
      sinks.put(
          p.id(), new Sink(new RotatingFile(file, p.logs().maxSize(), p.logs().maxFiles(), own)));
    }
  }

  private byte[] lastTime = new byte[0];
  private long lastMillis = Long.MIN_VALUE;

  private byte[] time(Instant at) {
    long ms = at.toEpochMilli();
    if (ms != lastMillis) {
      lastMillis = ms;
      lastTime = (TIME.format(at) + " ").getBytes(StandardCharsets.US_ASCII);
    }
    return lastTime;
  }

  @Override
  public void onEvent(ProcessEvent event) {
    if (event instanceof ProcessEvent.OutputLines lines) {
      Sink s = sinks.get(lines.id());
      if (s == null) return;
      byte[] t = time(lines.at());
      byte[] data = lines.data();
      for (int i = 0; i < lines.count(); i++) {
        int len = lines.lengths()[i];
        if (s.used + t.length + len + 1 > s.buf.length) flush(lines.id(), s);
        if (t.length + len + 1 > s.buf.length) {
          // A line longer than the buffer goes out on its own, whole.
          byte[] big = new byte[t.length + len + 1];
          System.arraycopy(t, 0, big, 0, t.length);
          System.arraycopy(data, lines.starts()[i], big, t.length, len);
          big[big.length - 1] = '\n';
          write(lines.id(), s, big, big.length, 1);
          continue;
        }
        System.arraycopy(t, 0, s.buf, s.used, t.length);
        s.used += t.length;
        System.arraycopy(data, lines.starts()[i], s.buf, s.used, len);
        s.used += len;
        s.buf[s.used++] = '\n';
        s.pending++;
      }
    } else if (event instanceof ProcessEvent.StateChanged c
        && c.to() == dev.pmj.supervisor.ProcessState.STARTING) {
      // A reload may have given the process another logFile: each run writes where it says.
      ProcessSpec spec = specs.apply(c.id());
      if (spec != null) add(spec);
    } else if (event instanceof ProcessEvent.Added a) {
      ProcessSpec spec = specs.apply(a.id());
      if (spec != null) add(spec);
    } else if (event instanceof ProcessEvent.Removed r) {
      Sink s = sinks.remove(r.id());
      if (s != null) {
        flush(r.id(), s);
        s.file.close();
      }
    }
  }

  @Override
  public void onIdle() {
    for (Map.Entry<String, Sink> e : sinks.entrySet()) {
      flush(e.getKey(), e.getValue());
      if (!e.getValue().failing) {
        try {
          e.getValue().file.flush();
        } catch (IOException ex) {
          failed(e.getKey(), e.getValue(), ex, 0);
        }
      }
    }
  }

  private void flush(String id, Sink s) {
    if (s.used == 0) return;
    long lines = s.pending;
    s.pending = 0;
    write(id, s, s.buf, s.used, lines);
    s.used = 0;
  }

  private void write(String id, Sink s, byte[] b, int len, long lines) {
    if (s.failing && System.nanoTime() - s.failedAt < retryNanos) {
      s.linesLost += lines;
      return;
    }
    try {
      s.file.write(b, 0, len);
      if (s.failing) {
        s.failing = false;
        notice.accept(
            id,
            "writing "
                + s.file.file()
                + " again"
                + (s.linesLost > 0
                    ? " ("
                        + s.linesLost
                        + " lines could not be written to it; pmj logs has the recent ones)"
                    : ""));
        s.linesLost = 0;
      }
    } catch (IOException e) {
      failed(id, s, e, lines);
    }
  }

  private void failed(String id, Sink s, IOException e, long lines) {
    s.file.reset();
    s.linesLost += lines;
    s.failedAt = System.nanoTime();
    if (!s.failing) {
      s.failing = true;
      notice.accept(
          id,
          "cannot write "
              + s.file.file()
              + ": "
              + reason(e)
              + "; trying again every second (the process runs on; pmj logs keeps its recent lines)");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) return "no such folder";
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null)
      return f.getReason();
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The files being written, by process (for tests and for pmj config). */
  public Map<String, Path> files() {
    Map<String, Path> out = new HashMap<>();
    sinks.forEach((id, s) -> out.put(id, s.file.file()));
    return out;
  }

  @Override
  public void close() {
    for (Map.Entry<String, Sink> e : sinks.entrySet()) {
      flush(e.getKey(), e.getValue());
      e.getValue().file.close();
    }
  }
}
