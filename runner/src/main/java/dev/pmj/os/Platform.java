package dev.pmj.os;

import java.util.Locale;

/** The one place that asks which operating system this is. */
public final class Platform {
  private Platform() {}

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
