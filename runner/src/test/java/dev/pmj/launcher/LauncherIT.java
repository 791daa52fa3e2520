package dev.pmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.Tmux;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `pmj` launcher as a user runs it, after `mvn package` built the jar. */
class LauncherIT {
  private static final Path PMJ = Fixtures.root().resolve("pmj");

  @TempDir Path dir;

  private static String run(Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PMJ.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return p.exitValue() + ":" + out;
  }

  /** `pmj up` in the test folder, its output merged, tagged for the leftover check. */
  private Process up(String tag) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(PMJ.toString(), "up").directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PMJ_TEST_TAG", tag);
    return pb.start();
  }

  /**
   * Reads lines until one contains {@code text}, keeping the others in {@code seen}; fails at the
   * end of output.
   */
  private static String readUntil(BufferedReader r, String text, List<String> seen)
      throws IOException {
    String line;
    while ((line = r.readLine()) != null && !line.contains(text)) seen.add(line);
    assertTrue(line != null, "no line containing \"" + text + "\" in: " + seen);
    return line;
  }

  /** SIGTERM to the launcher's pid ends pmj with 0 and leaves nothing tagged running. */
  private static void terminateAndExpectNothingLeft(Process p, String tag) throws Exception {
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(5)));
  }

  private static BufferedReader lines(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  @Test
  void validatesTheQuickstartExample() throws Exception {
    assertEquals(
        "0:ok: 4 processes in examples/quickstart/pmj.yaml\n",
        run(Fixtures.root(), "validate", "-f", "examples/quickstart/pmj.yaml"));
  }

  @Test
  void theLauncherBecomesTheJvmSoASignalToItsPidReachesPmj() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
        """);
    String tag = "pmj-test-" + UUID.randomUUID();
    Process p = up(tag);
    try {
      readUntil(lines(p), "ready-a", new ArrayList<>());
      String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
      assertTrue(
          cmdline.startsWith("java") || cmdline.contains("/java\0"),
          "launcher did not exec java: " + cmdline);
      terminateAndExpectNothingLeft(p, tag);
    } finally {
      p.destroyForcibly();
      Leftovers.killAll(tag);
    }
  }

  @Test
  void ctrlCInATerminalStopsEverythingAndLeavesNothing() throws Exception {
    dev.pmj.testing.Tools.require("tmux");
    Fixtures.writeConfig(
        dir,
        """
        processes:
          gc:
            command: sh @TESTDATA@/grandchild.sh
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
        """);
    String tag = "pmj-test-" + UUID.randomUUID();
    try (Tmux tmux =
        Tmux.start(dir, "PMJ_TEST_TAG=" + tag + " " + PMJ + " up; echo pmj-exit=$?; sleep 100")) {
      tmux.await("a +\\| ready-a", Duration.ofSeconds(30));
      tmux.await("gc +\\| grandchild: parent", Duration.ofSeconds(30));
      tmux.sendKeys("C-c");
      tmux.await("pmj-exit=0", Duration.ofSeconds(30));
      assertEquals(
          List.of(),
          Leftovers.awaitNone(tag, Duration.ofSeconds(5)).stream()
              .filter(s -> !s.contains("sleep 100"))
              .toList());
    } finally {
      Leftovers.killAll(tag);
    }
  }

  /** devMode from the packaged jar: the watch libraries and JGit's matcher are all in it. */
  @Test
  void devModeRestartsOnAChangeWithThePackagedJar() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
            devMode: true
        """);
    Files.writeString(dir.resolve(".gitignore"), "*.log\n[unclosed\n");
    Files.createDirectories(dir.resolve("src"));
    String tag = "pmj-test-" + UUID.randomUUID();
    Process p = up(tag);
    try {
      BufferedReader r = lines(p);
      List<String> seen = new ArrayList<>();
      readUntil(r, "a: watching . (2 folders; devMode)", seen);
      Files.writeString(dir.resolve("src/x.log"), "ignored");
      Files.writeString(dir.resolve("src/app.py"), "print(1)");
      assertEquals(
          "pmj | a: restarting: src/app.py changed",
          readUntil(r, "a: restarting", seen),
          String.join("\n", seen));
      terminateAndExpectNothingLeft(p, tag);
    } finally {
      p.destroyForcibly();
      Leftovers.killAll(tag);
    }
  }
}
