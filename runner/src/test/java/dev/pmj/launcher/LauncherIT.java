package dev.pmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.Tmux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `pmj` launcher as a user runs it, after `mvn package` built the jar. */
class LauncherIT {
  private static final Path PMJ = Fixtures.root().resolve("pmj");

  @TempDir Path dir;

  private static String run(Path cwd, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(PMJ.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return p.exitValue() + ":" + out;
  }

  @Test
  void validatesTheQuickstartExample() throws Exception {
    assertEquals("0:ok: 4 processes in examples/quickstart/pmj.yaml\n",
        run(Fixtures.root(), "validate", "-f", "examples/quickstart/pmj.yaml"));
  }

  @Test
  void theLauncherBecomesTheJvmSoASignalToItsPidReachesPmj() throws Exception {
    Fixtures.writeConfig(dir, """
        processes:
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
        """);
    String tag = "pmj-test-" + UUID.randomUUID();
    ProcessBuilder pb = new ProcessBuilder(PMJ.toString(), "up").directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PMJ_TEST_TAG", tag);
    Process p = pb.start();
    try {
      java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null && !line.endsWith("ready-a")) {
        // wait for the process's line
      }
      String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
      assertTrue(cmdline.startsWith("java") || cmdline.contains("/java\0"), "launcher did not exec java: " + cmdline);
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(5)));
    } finally {
      p.destroyForcibly();
      Leftovers.killAll(tag);
    }
  }

  @Test
  void ctrlCInATerminalStopsEverythingAndLeavesNothing() throws Exception {
    Assumptions.assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
    Fixtures.writeConfig(dir, """
        processes:
          gc:
            command: sh @TESTDATA@/grandchild.sh
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
        """);
    String tag = "pmj-test-" + UUID.randomUUID();
    try (Tmux tmux = Tmux.start(dir, "PMJ_TEST_TAG=" + tag + " " + PMJ + " up; echo pmj-exit=$?; sleep 100")) {
      tmux.await("a +\\| ready-a", Duration.ofSeconds(30));
      tmux.await("gc +\\| grandchild: parent", Duration.ofSeconds(30));
      tmux.sendKeys("C-c");
      tmux.await("pmj-exit=0", Duration.ofSeconds(30));
      assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(5)).stream()
          .filter(s -> !s.contains("sleep 100")).toList());
    } finally {
      Leftovers.killAll(tag);
    }
  }

  /** devMode from the packaged jar: the watch libraries and JGit's matcher are all in it. */
  @Test
  void devModeRestartsOnAChangeWithThePackagedJar() throws Exception {
    Fixtures.writeConfig(dir, """
        processes:
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
            devMode: true
        """);
    Files.writeString(dir.resolve(".gitignore"), "*.log\n[unclosed\n");
    Files.createDirectories(dir.resolve("src"));
    String tag = "pmj-test-" + UUID.randomUUID();
    ProcessBuilder pb = new ProcessBuilder(PMJ.toString(), "up").directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PMJ_TEST_TAG", tag);
    Process p = pb.start();
    try {
      java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> seen = new java.util.ArrayList<>();
      String line;
      while ((line = r.readLine()) != null && !line.contains("a: watching . (2 folders; devMode)")) seen.add(line);
      assertTrue(line != null, "no watching line: " + seen);
      Files.writeString(dir.resolve("src/x.log"), "ignored");
      Files.writeString(dir.resolve("src/app.py"), "print(1)");
      while ((line = r.readLine()) != null && !line.contains("a: restarting")) seen.add(line);
      assertEquals("pmj | a: restarting: src/app.py changed", line, String.join("\n", seen));
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(5)));
    } finally {
      p.destroyForcibly();
      Leftovers.killAll(tag);
    }
  }
}
