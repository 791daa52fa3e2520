package dev.pmj.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log files fed with events: rotation by rename, and a file that cannot be written. */
class LogFilesTest {
  @TempDir Path dir;
  private final List<String> notices = new ArrayList<>();

  private List<ProcessSpec> specs(String yaml) throws Exception {
    Fixtures.writeConfig(dir, yaml);
    LoadResult r = new ConfigLoader(Map.of(), dir, false).load(dir.resolve("pmj.yaml"));
    assertEquals(List.of(), r.problems());
    return r.project().processes();
  }

  private LogFiles files(List<ProcessSpec> specs) {
    return new LogFiles(specs, id -> null, (id, text) -> notices.add(id + ": " + text), null, 0);
  }

  private static ProcessEvent.OutputLines batch(String id, int from, int count) {
    StringBuilder sb = new StringBuilder();
    int[] starts = new int[count];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      String line = "line " + (from + i) + " " + "x".repeat(50);
      starts[i] = sb.length();
      lengths[i] = line.length();
      sb.append(line).append('\n');
    }
    return new ProcessEvent.OutputLines(
        id,
        Instant.parse("2026-11-29T20:49:55.123Z"),
        sb.toString().getBytes(StandardCharsets.UTF_8),
        starts,
        lengths);
  }

  @Test
  void onlyTheOutputOfProcessesThatWriteAFileIsAskedFor() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            processes:
              api:
                command: x
                logFile: logs/api.log
              quiet:
                command: x
            """);
    java.util.Map<String, ProcessSpec> byId = new java.util.HashMap<>();
    for (ProcessSpec p : specs) byId.put(p.id(), p);
    try (LogFiles f = new LogFiles(specs, byId::get, (id, text) -> {}, null, 0)) {
      assertTrue(f.wantsOutputOf("api"));
      assertFalse(f.wantsOutputOf("quiet"));
      assertFalse(f.wantsOutputOf("nobody"));
      // A reload gives quiet a file: its next run's output is wanted from the change on.
      ProcessSpec withFile =
          specs(
                  """
                  processes:
                    quiet:
                      command: x
                      logFile: logs/quiet.log
                  """)
              .get(0);
      byId.put("quiet", withFile);
      assertTrue(f.wantsOutputOf("quiet"));
      // A reload takes api's file away: the run that writes it is still asked for, until the
      // next run starts without one.
      byId.put(
          "api",
          specs(
                  """
                  processes:
                    api:
                      command: x
                  """)
              .get(0));
      assertTrue(f.wantsOutputOf("api"));
    }
    try (LogFiles background =
        new LogFiles(specs, byId::get, (id, text) -> {}, dir.resolve("fallback"), 0)) {
      assertTrue(background.wantsOutputOf("quiet"), "pmj up -d writes every process somewhere");
    }
  }

  @Test
  void filesRotateByRenameAndEveryLineIsInExactlyOneFileInOrder() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            processes:
              api:
                command: x
                logFile: logs/api.log
                logMaxSize: 4KB
                logMaxFiles: 100
            """);
    try (LogFiles f = files(specs)) {
      int n = 0;
      for (int b = 0; b < 50; b++) {
        f.onEvent(batch("api", n + 1, 7));
        n += 7;
        if (b % 3 == 0) f.onIdle();
      }
    }
    List<Path> rotated = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      Path p = dir.resolve("logs/api.log." + i);
      if (Files.exists(p)) rotated.add(p);
    }
    assertTrue(rotated.size() >= 4, "rotated " + rotated.size() + " times");
    rotated.add(dir.resolve("logs/api.log"));
    List<String> all = new ArrayList<>();
    for (Path p : rotated) {
      assertTrue(Files.size(p) <= 4096, p + " is " + Files.size(p) + " bytes");
      all.addAll(Files.readAllLines(p));
    }
    assertEquals(350, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals("2026-11-29T20:49:55.123Z line " + (i + 1) + " " + "x".repeat(50), all.get(i));
    }
    assertEquals(List.of(), notices);
  }

  @Test
  void onlyLogMaxFilesRotatedFilesAreKept() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            logDir: out
            logMaxSize: 1KB
            logMaxFiles: 2
            processes:
              w:
                command: x
            """);
    try (LogFiles f = files(specs)) {
      for (int i = 0; i < 40; i++) {
        f.onEvent(batch("w", i * 3 + 1, 3));
        f.onIdle();
      }
    }
    assertTrue(Files.exists(dir.resolve("out/w.log")));
    assertTrue(Files.exists(dir.resolve("out/w.log.1")));
    assertTrue(Files.exists(dir.resolve("out/w.log.2")));
    assertFalse(Files.exists(dir.resolve("out/w.log.3")));
    List<String> newest = Files.readAllLines(dir.resolve("out/w.log"));
    assertTrue(newest.get(newest.size() - 1).endsWith("line 120 " + "x".repeat(50)));
  }

  @Test
  void aFileThatCannotBeWrittenIsReportedOnceAndWrittenAgainWhenItCan() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            processes:
              api:
                command: x
                logFile: blocked/api.log
            """);
    Files.writeString(dir.resolve("blocked"), "a file where the folder should be");
    try (LogFiles f = files(specs)) {
      for (int i = 0; i < 5; i++) {
        f.onEvent(batch("api", i * 10 + 1, 10));
        f.onIdle();
      }
      assertEquals(1, notices.size(), notices.toString());
      assertTrue(
          notices.get(0).startsWith("api: cannot write " + dir.resolve("blocked/api.log") + ": "),
          notices.get(0));
      assertTrue(
          notices
              .get(0)
              .endsWith(
                  "; trying again every second (the process runs on; pmj logs keeps its recent lines)"));
      Files.delete(dir.resolve("blocked"));
      f.onEvent(batch("api", 51, 10));
      f.onIdle();
      assertEquals(
          "api: writing "
              + dir.resolve("blocked/api.log")
              + " again (50 lines could not be written to it; pmj logs has the recent ones)",
          notices.get(1));
    }
    List<String> lines = Files.readAllLines(dir.resolve("blocked/api.log"));
    assertEquals(10, lines.size());
    assertTrue(lines.get(0).contains(" line 51 "));
  }

  @Test
  void devicesAreWrittenButNeverRenamed() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            processes:
              api:
                command: x
                logFile: /dev/null
                logMaxSize: 1KB
            """);
    try (LogFiles f = files(specs)) {
      for (int i = 0; i < 10; i++) {
        f.onEvent(batch("api", i * 10 + 1, 10));
        f.onIdle();
      }
    }
    assertTrue(Files.exists(Path.of("/dev/null")));
    assertFalse(Files.exists(Path.of("/dev/null.1")));
    assertEquals(List.of(), notices);
  }

  @Test
  void aFileThatCannotBeWrittenNeverStopsTheStreamItReportsOn() throws Exception {
    List<ProcessSpec> specs =
        specs(
            """
            processes:
              a:
                command: x
                logFile: blocked/a.log
              b:
                command: x
                logFile: blocked/b.log
            """);
    Files.writeString(dir.resolve("blocked"), "a file where the folder should be");
    EventStream stream = new EventStream();
    // Retried at once, so that every flush fails and says so again after writing worked: many
    // notices, each published from the files' own thread while producers keep its queue full.
    try (LogFiles f =
        new LogFiles(
            specs,
            id -> null,
            (id, text) -> stream.publish(new ProcessEvent.Notice(id, text)),
            null,
            0)) {
      EventStream.Subscription files =
          stream.subscribe("log-files", f, EventStream.Delivery.LOSSLESS, 2);
      java.util.concurrent.ExecutorService producers =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (String id : List.of("a", "b")) {
          done.add(
              producers.submit(
                  () -> {
                    for (int i = 0; i < 2000; i++) stream.publish(batch(id, i * 10 + 1, 10));
                  }));
        }
        for (java.util.concurrent.Future<?> d : done)
          d.get(30, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        producers.shutdownNow();
      }
      assertTrue(files.closeAndDrain(30_000));
    }
    List<String> said = new ArrayList<>();
    for (LogStore.Line l : stream.logs().lines(LogStore.Query.all()))
      if (l.id().equals(LogStore.PMJ)) said.add(l.text());
    String prefix = "a: cannot write " + dir.resolve("blocked/a.log") + ": ";
    assertTrue(said.stream().anyMatch(t -> t.startsWith(prefix)), said.toString());
    // Every line is still in the ring buffer for pmj logs, the newest last.
    List<LogStore.Line> kept =
        stream.logs().lines(new LogStore.Query(java.util.Set.of("b"), 0, 1, false));
    assertTrue(kept.get(0).text().startsWith("line 20000 "), kept.toString());
  }
}
