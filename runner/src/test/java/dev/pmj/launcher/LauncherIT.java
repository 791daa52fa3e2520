package dev.pmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
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

  /** A detached tmux session running one shell command, read through capture-pane. */
  static final class Tmux implements AutoCloseable {
    private final String session = "pmj-" + UUID.randomUUID().toString().substring(0, 8);

    static boolean available() {
      try {
        return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }

    static Tmux start(Path cwd, String command) throws Exception {
      Tmux t = new Tmux();
      t.tmux("new-session", "-d", "-s", t.session, "-x", "120", "-y", "30", "-c", cwd.toString(), command);
      return t;
    }

    String capture() throws Exception {
      Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session, "-S", "-200").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    }

    void await(String regex, Duration timeout) throws Exception {
      java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
      long deadline = System.nanoTime() + timeout.toNanos();
      String screen = "";
      while (System.nanoTime() < deadline) {
        screen = capture();
        if (pattern.matcher(screen).find()) return;
        Thread.sleep(50); // polling the screen with a deadline
      }
      throw new AssertionError("screen never showed " + regex + ":\n" + screen);
    }

    void sendKeys(String... keys) throws Exception {
      String[] cmd = new String[keys.length + 3];
      cmd[0] = "send-keys";
      cmd[1] = "-t";
      cmd[2] = session;
      System.arraycopy(keys, 0, cmd, 3, keys.length);
      tmux(cmd);
    }

    private void tmux(String... args) throws Exception {
      String[] cmd = new String[args.length + 1];
      cmd[0] = "tmux";
      System.arraycopy(args, 0, cmd, 1, args.length);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new IllegalStateException("tmux " + String.join(" ", args) + ": " + out);
    }

    @Override
    public void close() throws Exception {
      new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
    }
  }
}
