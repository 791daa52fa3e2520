package dev.pmj.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds processes a test started, by a tag in their environment (inherited by every descendant),
 * never by name. Zombies count as gone: this sandbox reaps orphans lazily.
 */
public final class Leftovers {
  private Leftovers() {}

  /** Live (non-zombie) processes whose environment holds {@code tag}, as "pid cmdline" strings. */
  public static List<String> find(String tag) {
    byte[] needle = tag.getBytes(StandardCharsets.UTF_8);
    List<String> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          if (Long.parseLong(p.getFileName().toString()) == self) continue;
          byte[] env = Files.readAllBytes(p.resolve("environ"));
          if (Bytes.indexOf(env, needle) < 0) continue;
          String stat = Files.readString(p.resolve("stat"));
          char state = stat.charAt(stat.lastIndexOf(')') + 2);
          if (state == 'Z' || state == 'X') continue;
          String cmd =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ');
          found.add(p.getFileName() + " " + cmd.trim());
        } catch (IOException | RuntimeException e) {
          // gone meanwhile, or not ours to read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  /** Whether {@code pid} is a live process: a zombie counts as gone (this sandbox reaps lazily). */
  public static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Waits until no tagged process is left; returns those still there after {@code timeout}. */
  public static List<String> awaitNone(String tag, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> left = find(tag);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(20); // polling interval of a wait with a deadline, not synchronization
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = find(tag);
    }
    return left;
  }

  /**
   * The check after a test: waits up to 10 s for every tagged process to end, kills what is still
   * there (so one failure does not spill into the next test) and fails naming it.
   */
  public static void assertNoneLeft(String tag) {
    List<String> left = awaitNone(tag, Duration.ofSeconds(10));
    killAll(tag);
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), left, "processes left behind");
  }

  /** Kills every tagged process (cleanup after a failed test). */
  public static void killAll(String tag) {
    for (String s : find(tag)) {
      long pid = Long.parseLong(s.substring(0, s.indexOf(' ')));
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
