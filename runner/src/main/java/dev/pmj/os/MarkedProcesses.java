package dev.pmj.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Linux: finds every live process whose environment carries {@code PMJ_RUN=<this run>}, read from
 * {@code /proc/PID/environ} (readable for processes of the same user). A program that leaves its
 * process group keeps its environment, so this finds what a group signal cannot reach.
 *
 * <p>One pass over {@code /proc} serves every request made before it began: a thousand processes
 * stopping at once cost a few passes, not a thousand. Passes run on one thread of their own that
 * ends when idle.
 */
final class MarkedProcesses {
  private static final Path PROC = Path.of("/proc");

  private final byte[] marker;
  private final byte[] processIdKey = "PMJ_PROCESS_ID=".getBytes(StandardCharsets.US_ASCII);
  private final long self = ProcessHandle.current().pid();
  private final ThreadPoolExecutor thread;

  /** The pass that has not begun yet; requests join it. */
  private CompletableFuture<Map<String, List<Marked>>> next;

  MarkedProcesses(String variable, String value) {
    this.marker = (variable + "=" + value).getBytes(StandardCharsets.UTF_8);
    this.thread =
        new ThreadPoolExecutor(
            0,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "pmj-marked");
              t.setDaemon(true);
              return t;
            });
  }

  /** Whether this system shows other processes' environments. */
  static boolean available() {
    return Files.isReadable(PROC.resolve("self/environ"));
  }

  /** Every live marked process, by the pmj process it belongs to. */
  synchronized CompletableFuture<Map<String, List<Marked>>> scan() {
    if (next == null) {
      next = new CompletableFuture<>();
      try {
        thread.execute(this::pass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed: pmj is ending and has stopped everything it could.
        CompletableFuture<Map<String, List<Marked>>> none = next;
        next = null;
        none.complete(Map.of());
        return none;
      }
    }
    return next;
  }

  private void pass() {
    CompletableFuture<Map<String, List<Marked>>> f;
    synchronized (this) {
      f = next;
      next = null;
    }
    try {
      f.complete(readAll());
    } catch (RuntimeException | Error e) {
      f.completeExceptionally(e);
    }
  }

  Map<String, List<Marked>> readAll() {
    Map<String, List<Marked>> out = new HashMap<>();
    byte[] buf = new byte[16384];
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') continue;
        long pid = Long.parseLong(name);
        if (pid == self) continue;
        Marked m = read(d, pid, buf);
        if (m != null) out.computeIfAbsent(m.processId(), k -> new ArrayList<>()).add(m);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private Marked read(Path dir, long pid, byte[] buf) {
    String processId;
    try (InputStream in = Files.newInputStream(dir.resolve("environ"))) {
      processId = markedAs(in, buf);
    } catch (IOException | SecurityException e) {
      return null; // gone, or another user's
    }
    if (processId == null) return null;
    Stat s = stat(dir);
    if (s == null || s.state == 'Z' || s.state == 'X') return null;
    return new Marked(pid, s.pgid, s.startTicks, s.name, processId);
  }

  /**
   * The value of PMJ_PROCESS_ID when the environment holds this run's marker, else null. Entries
   * are NUL-terminated; one longer than the buffer is neither the marker nor the id pmj set.
   */
  private String markedAs(InputStream in, byte[] buf) throws IOException {
    int len = 0;
    while (true) {
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) break;
      len += n;
      if (len == buf.length) {
        byte[] bigger = new byte[buf.length * 2];
        System.arraycopy(buf, 0, bigger, 0, len);
        buf = bigger;
      }
    }
    boolean marked = false;
    String processId = null;
    int start = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || buf[i] == 0) {
        if (entryIs(buf, start, i, marker)) marked = true;
        else if (startsWith(buf, start, i, processIdKey)) {
          processId =
              new String(
                  buf,
                  start + processIdKey.length,
                  i - start - processIdKey.length,
                  StandardCharsets.UTF_8);
        }
        start = i + 1;
      }
    }
    return marked ? (processId == null ? "" : processId) : null;
  }

  private static boolean entryIs(byte[] b, int from, int to, byte[] what) {
    return to - from == what.length && startsWith(b, from, to, what);
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] what) {
    if (to - from < what.length) return false;
    for (int j = 0; j < what.length; j++) if (b[from + j] != what[j]) return false;
    return true;
  }

  private record Stat(char state, long pgid, long startTicks, String name) {}

  /** Fields of {@code /proc/PID/stat}: the name is in parentheses and may hold spaces. */
  private static Stat stat(Path dir) {
    String text;
    try {
      text = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open) return null;
    String[] f = text.substring(close + 2).split(" ");
    // After the name: state(3) ppid(4) pgrp(5) ... starttime(22), numbered from 1 for the pid.
    if (f.length < 20) return null;
    try {
      return new Stat(
          f[0].charAt(0),
          Long.parseLong(f[2]),
          Long.parseLong(f[19]),
          text.substring(open + 1, close));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The start time of {@code pid}, or -1 when it is gone or a zombie. */
  static long startTicks(long pid) {
    Stat s = stat(PROC.resolve(Long.toString(pid)));
    if (s == null || s.state == 'Z' || s.state == 'X') return -1;
    return s.startTicks;
  }

  void close() {
    thread.shutdown();
  }
}
