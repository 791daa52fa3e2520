package dev.pmj.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** stty on the console's terminal device, synchronously, so that no setting races another. */
final class Stty {
  private Stty() {}

  /** Runs stty on the terminal; its output, or null when it failed. */
  static String run(java.io.File tty, String... args) {
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add("stty");
      cmd.addAll(List.of(args));
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
              .trim();
      return p.waitFor() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
