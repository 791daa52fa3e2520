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
    List<String> left = Leftovers.awaitNone(tag, Duration.ofSeconds(10));
    Leftovers.killAll(tag);
    assertEquals(List.of(), left);
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
    assertEquals(
        2, Leftovers.find(tag).stream().filter(s -> !s.contains("/bin/sh -c trap")).count());
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
