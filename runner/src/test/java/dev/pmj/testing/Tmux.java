package dev.pmj.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detached tmux session (a real terminal) running one shell command, read through capture-pane.
 */
public final class Tmux implements AutoCloseable {
  private final String session = "pmj-" + UUID.randomUUID().toString().substring(0, 8);

  public static boolean available() {
    try {
      return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  public static Tmux start(Path cwd, String command) throws Exception {
    return start(cwd, 120, 30, command);
  }

  /**
   * The command line of this build's pmj as a shell in {@code dir} types it: this JVM's java and
   * class path (written to {@code dir/cp}), with what the jar's manifest would open, carrying
   * {@code tag} (Leftovers finds everything it starts).
   */
  public static String pmjCommand(Path dir, String tag) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(dir.resolve("cp"), System.getProperty("java.class.path"));
    return "PMJ_TEST_TAG=%s %s -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp \"$(cat cp)\" dev.pmj.cli.Main"
        .formatted(tag, javaBin);
  }

  /**
   * Runs {@code pmj ARGS} in a terminal of {@code width} x {@code height} in {@code dir}: {@code
   * stty -g} is saved before and after it (stty.before, stty.after, so a test can prove the
   * terminal was given back as it was), its pid to pmj.pid, its stderr to {@code stderr} (when not
   * null); then the screen shows {@code LABEL-exit=CODE} and {@code shell-done}.
   *
   * @param env variables for pmj only ("TERM=dumb"), or ""
   */
  public static Tmux pmj(
      Path dir,
      String tag,
      int width,
      int height,
      String env,
      String args,
      String label,
      String stderr)
      throws Exception {
    String pmj = pmjCommand(dir, tag);
    int split = pmj.indexOf(' ');
    String script =
        """
        stty -g > stty.before
        %s%s sh -c 'echo $$ > pmj.pid; exec "$0" "$@"' %s %s%s
        echo %s-exit=$?
        stty -g > stty.after
        echo shell-done
        sleep 1000
        """
            .formatted(
                env.isEmpty() ? "" : env + " ",
                pmj.substring(0, split),
                pmj.substring(split + 1),
                args,
                stderr == null ? "" : " 2> " + stderr,
                label);
    Files.writeString(dir.resolve("run.sh"), script);
    return start(dir, width, height, "sh run.sh");
  }

  public static Tmux start(Path cwd, int width, int height, String command) throws Exception {
    Tmux t = new Tmux();
    t.tmux(
        "new-session",
        "-d",
        "-s",
        t.session,
        "-x",
        Integer.toString(width),
        "-y",
        Integer.toString(height),
        "-c",
        cwd.toString(),
        command);
    return t;
  }

  /** The screen and up to 2,000 lines of scrollback. */
  public String capture() throws Exception {
    Process p =
        new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session, "-S", "-2000").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** The visible screen only. */
  public String screen() throws Exception {
    Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** Waits until the screen or scrollback shows {@code regex} (multiline); returns the match. */
  public String await(String regex, Duration timeout) throws Exception {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = capture();
      Matcher m = pattern.matcher(screen);
      if (m.find()) return m.group();
      Thread.sleep(50); // polling the screen with a deadline
    }
    throw new AssertionError("screen never showed " + regex + ":\n" + screen);
  }

  public void sendKeys(String... keys) throws Exception {
    String[] cmd = new String[keys.length + 3];
    cmd[0] = "send-keys";
    cmd[1] = "-t";
    cmd[2] = session;
    System.arraycopy(keys, 0, cmd, 3, keys.length);
    tmux(cmd);
  }

  public void resize(int width, int height) throws Exception {
    tmux(
        "resize-window",
        "-t",
        session,
        "-x",
        Integer.toString(width),
        "-y",
        Integer.toString(height));
  }

  private void tmux(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "tmux";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0)
      throw new IllegalStateException("tmux " + String.join(" ", args) + ": " + out);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
  }
}
