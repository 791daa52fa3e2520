package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both implementations on real processes: a stop reaches the grandchild too. */
class ProcessControlTest {
  private final String tag = "pmj-test-" + UUID.randomUUID();

  @AfterEach
  void nothingLeft() {
    Leftovers.assertNoneLeft(tag);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    return env;
  }

  private void stopsTheWholeTree(ProcessControl control) throws Exception {
    Child child =
        control.start(List.of("sh", Fixtures.testdata("grandchild.sh")), Path.of("."), env());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
    assertTrue(out.readLine().startsWith("grandchild: parent"));
    // Both found (the shell and its sleep); the sleep may still be between fork and exec, when
    // its /proc entry can briefly not be read.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long found = 0;
    while ((found =
                Leftovers.find(tag).stream().filter(s -> !s.contains("/bin/sh -c trap")).count())
            < 2
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling interval of a wait with a deadline
    }
    assertEquals(2, found);
    control.signalGroup(child.pid(), Signal.TERM);
    assertEquals(128 + 15, child.exit().get(10, TimeUnit.SECONDS));
    assertEquals(
        List.of(),
        Leftovers.awaitNone(tag, Duration.ofSeconds(5)).stream()
            .filter(s -> !s.contains("/bin/sh -c trap"))
            .toList());
    control.forget(child.pid());
  }

  @Test
  void posixGroupsReachTheGrandchild() throws Exception {
    try (ProcessControl control = new PosixProcessControl()) {
      stopsTheWholeTree(control);
    }
  }

  @Test
  void theProcessTreeFallbackReachesTheGrandchild() throws Exception {
    try (ProcessControl control = new TreeProcessControl()) {
      stopsTheWholeTree(control);
    }
  }

  /** Pipes this JVM holds open. */
  private static long pipes() throws java.io.IOException {
    long n = 0;
    try (var fds = java.nio.file.Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("pipe:")) n++;
        } catch (java.io.IOException e) {
          // closed meanwhile (the directory's own descriptor)
        }
      }
    }
    return n;
  }

  @Test
  void stderrComesInOrderWithStdoutThroughTheOnePipePmjHolds() throws Exception {
    try (ProcessControl control = new PosixProcessControl()) {
      // The first start also starts the watchdog, whose stdin is a pipe of pmj's.
      control.forget(control.start(List.of("true"), Path.of("."), env()).pid());
      long before = pipes();
      Child child =
          control.start(
              List.of("sh", "-c", "echo one; echo two >&2; echo three; exec sleep 1000"),
              Path.of("."),
              env());
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
      assertEquals("one", out.readLine());
      assertEquals("two", out.readLine());
      assertEquals("three", out.readLine());
      // Every descriptor pmj holds is one each child starts with and closes: one pipe per child.
      assertEquals(before + 1, pipes());
      control.signalGroup(child.pid(), Signal.KILL);
      assertEquals(128 + 9, child.exit().get(10, TimeUnit.SECONDS));
      control.forget(child.pid());
    }
  }

  @Test
  void aProgramThatCannotRunFailsWithTheReason() {
    try (ProcessControl control = new PosixProcessControl()) {
      assertEquals(
          "no-such-xyz: command not found in PATH",
          assertThrows(
                  StartException.class,
                  () -> control.start(List.of("no-such-xyz"), Path.of("."), env()))
              .getMessage());
      assertEquals(
          "working folder does not exist: /nope",
          assertThrows(
                  StartException.class, () -> control.start(List.of("sh"), Path.of("/nope"), env()))
              .getMessage());
    }
  }
}
