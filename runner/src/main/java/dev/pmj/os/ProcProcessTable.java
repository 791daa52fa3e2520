package dev.pmj.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux: one pass over {@code /proc/PID/stat} finds every process's parent and CPU time; the trees
 * of the roots are built from the parents, and {@code /proc/PID/statm} gives the resident memory of
 * their members only (the RSS field of {@code stat} reads about 8 % low).
 */
final class ProcProcessTable implements ProcessTable {
  /** Clock ticks per second of {@code stat}'s CPU fields: 100 on every Linux pmj runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private static final Path PROC = Path.of("/proc");
  private final long pageSize = pageSize();
  private final byte[] buf = new byte[1024];

  /** One process as {@code stat} shows it. */
  private record Stat(long pid, long ppid, long cpuTicks) {}

  @Override
  public synchronized Map<Long, Usage> sample(Collection<Long> roots) {
    Map<Long, Stat> all = new HashMap<>();
    Map<Long, List<Long>> children = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') continue;
        Stat s = stat(d.resolve("stat"));
        if (s == null) continue;
        all.put(s.pid, s);
        children.computeIfAbsent(s.ppid, k -> new ArrayList<>()).add(s.pid);
      }
    } catch (IOException e) {
      return Map.of();
    }
    Map<Long, Usage> out = new HashMap<>();
    for (long root : roots) {
      if (!all.containsKey(root)) continue;
      long ticks = 0;
      long pages = 0;
      int count = 0;
      Deque<Long> todo = new ArrayDeque<>();
      todo.add(root);
      while (!todo.isEmpty()) {
        long pid = todo.poll();
        Stat s = all.get(pid);
        if (s == null) continue;
        count++;
        ticks += s.cpuTicks;
        pages += residentPages(PROC.resolve(Long.toString(pid)).resolve("statm"));
        List<Long> kids = children.get(pid);
        if (kids != null) todo.addAll(kids);
      }
      out.put(
          root, new Usage(ticks * (1_000_000_000L / TICKS_PER_SECOND), pages * pageSize, count));
    }
    return out;
  }

  /** Reads {@code stat}: pid, parent, and utime + stime + cutime + cstime; null if it is gone. */
  private Stat stat(Path file) {
    int n = read(file);
    if (n <= 0) return null;
    // The command name (field 2) is in parentheses and may hold spaces: fields count from the last
    // ')'.
    int close = -1;
    for (int i = n - 1; i >= 0; i--) {
      if (buf[i] == ')') {
        close = i;
        break;
      }
    }
    if (close < 0) return null;
    long pid = 0;
    for (int i = 0; i < close && buf[i] >= '0' && buf[i] <= '9'; i++)
      pid = pid * 10 + (buf[i] - '0');
    // After ") ": field 3 is the state; ppid is field 4, utime..cstime are fields 14..17.
    long[] fields = new long[18];
    int field = 3;
    int i = close + 2;
    while (i < n && field <= 17) {
      while (i < n && buf[i] == ' ') i++;
      long v = 0;
      boolean neg = false;
      if (i < n && buf[i] == '-') {
        neg = true;
        i++;
      }
      while (i < n && buf[i] != ' ' && buf[i] != '\n') {
        byte b = buf[i++];
        if (b >= '0' && b <= '9') v = v * 10 + (b - '0');
      }
      fields[field++] = neg ? -v : v;
    }
    if (field <= 17) return null;
    return new Stat(pid, fields[4], fields[14] + fields[15] + fields[16] + fields[17]);
  }

  /** The second field of {@code statm}: resident pages; 0 when the process is gone. */
  private long residentPages(Path file) {
    int n = read(file);
    int i = 0;
    while (i < n && buf[i] != ' ') i++;
    i++;
    long v = 0;
    while (i < n && buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i++] - '0');
    return v;
  }

  /** Reads a small /proc file into {@link #buf}; its length, or -1 when it is gone. */
  private int read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      int total = 0;
      int n;
      while (total < buf.length && (n = in.read(buf, total, buf.length - total)) > 0) total += n;
      return total;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A /proc file read to its end (its size says 0, so size-based reads get too little). */
  private static String readAll(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** The page size, from this JVM's own RSS in kB against its resident pages. */
  private static long pageSize() {
    try {
      long kb = 0;
      for (String line : readAll(Path.of("/proc/self/status")).split("\n")) {
        if (line.startsWith("VmRSS:")) kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
      String[] statm = readAll(Path.of("/proc/self/statm")).trim().split(" ");
      long pages = Long.parseLong(statm[1]);
      if (kb > 0 && pages > 0) {
        long size = kb * 1024 / pages;
        // Round to a power of two: the two reads are not at the same instant.
        long p = Long.highestOneBit(size);
        return size - p > p / 2 ? p * 2 : p;
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return 4096;
  }
}
