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

  /**
   * pmj's stdout and stderr where they are regular files ({@code pmj up > up.log}), as the paths
   * they were opened by; none where the OS does not say (no {@code /proc}).
   */
  public static java.util.List<java.nio.file.Path> outputFiles() {
    java.util.List<java.nio.file.Path> out = new java.util.ArrayList<>();
    for (int fd = 1; fd <= 2; fd++) {
      try {
        java.nio.file.Path link = java.nio.file.Path.of("/proc/self/fd/" + fd);
        if (!java.nio.file.Files.isRegularFile(link)) continue;
        java.nio.file.Path target = link(fd);
        if (target.isAbsolute()) out.add(target);
      } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
        // not said here: nothing to leave out
      }
    }
    return out;
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

  public static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }

  public static boolean isMac() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.startsWith("mac") || os.startsWith("darwin");
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
