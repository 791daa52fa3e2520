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

  /**
   * The terminal device standard input is ({@code /dev/pts/N}), for programs such as stty that open
   * it by name; null when stdin is not a terminal or the OS does not say which.
   */
  public static java.io.File stdinTerminalDevice() {
    try {
      java.nio.file.Path target = link(0);
      return isTerminalDevice(target) ? target.toFile() : null;
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static boolean isTerminal(int fd) {
    try {
      return isTerminalDevice(link(fd));
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  private static java.nio.file.Path link(int fd) throws java.io.IOException {
    return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd));
  }

  private static boolean isTerminalDevice(java.nio.file.Path target) {
    String t = target.toString();
    return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
  }

  public static boolean isMac() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.startsWith("mac") || os.startsWith("darwin");
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
