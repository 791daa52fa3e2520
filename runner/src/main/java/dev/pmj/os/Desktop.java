package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Opens an address with the user's browser: the command in {@code BROWSER} when it is set (the
 * convention of Python's webbrowser, xdg-utils and many tools: {@code %s} stands for the address,
 * else it comes last), else the desktop's opener: xdg-open, open (macOS) or start (Windows).
 */
public final class Desktop {
  private Desktop() {}

  /**
   * Asks the desktop to open {@code url}; the opener's name when it was started, null when this
   * machine has none (no opener on PATH, or no display for xdg-open).
   */
  public static String open(String url, Map<String, String> env) {
    List<String> command;
    String name;
    List<String> browser = browser(url, env.get("BROWSER"));
    if (!browser.isEmpty()) {
      command = browser;
      name = new File(browser.get(0)).getName();
    } else if (Platform.isWindows()) {
      command = List.of("cmd.exe", "/c", "start", "", url);
      name = "start";
    } else if (Platform.isMac()) {
      command = List.of("open", url);
      name = "open";
    } else {
      String display = env.getOrDefault("DISPLAY", env.getOrDefault("WAYLAND_DISPLAY", ""));
      String opener = onPath("xdg-open", env.get("PATH"));
      if (opener == null || display.isEmpty()) return null;
      command = List.of(opener, url);
      name = "xdg-open";
    }
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(new File(Platform.isWindows() ? "NUL" : "/dev/null"))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(env);
      pb.start();
      return name;
    } catch (IOException e) {
      return null;
    }
  }

  /** The first command of BROWSER (a list like PATH) with {@code url} in it; empty when unset. */
  static List<String> browser(String url, String value) {
    if (value == null || value.isBlank()) return List.of();
    String first = value.split(File.pathSeparator)[0].trim();
    if (first.isEmpty()) return List.of();
    List<String> words = new java.util.ArrayList<>();
    boolean placed = false;
    for (String w : first.split("\\s+")) {
      if (w.contains("%s")) {
        words.add(w.replace("%s", url));
        placed = true;
      } else {
        words.add(w);
      }
    }
    if (!placed) words.add(url);
    return words;
  }

  private static String onPath(String program, String path) {
    if (path == null) return null;
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }
}
