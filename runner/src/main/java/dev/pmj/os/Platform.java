package dev.pmj.os;

import java.util.Locale;

/** The one place that asks which operating system this is. */
public final class Platform {
  private Platform() {}

  /**
   * Whether pmj's stdout is a terminal. Java only tells whether stdin and stdout both are
   * (System.console()); on Linux the descriptor's link tells stdout alone.
   */
  public static boolean stdoutIsTerminal() {
    return isTerminal(1);
  }

  /** Whether standard input is a terminal. */
  public static boolean stdinIsTerminal() {
    return isTerminal(0);
  }

  private static boolean isTerminal(int fd) {
    try {
      String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
