package dev.pmj.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in the file: {@code 512KB}, {@code 10MB}, {@code 1GB} (units of 1,024 bytes).
 */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("([0-9]+)(B|KB|MB|GB)");

  private Sizes() {}

  /** Parses a size the schema already accepted, in bytes. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) throw new IllegalArgumentException("not a size: " + text);
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "KB":
        return Math.multiplyExact(n, 1L << 10);
      case "MB":
        return Math.multiplyExact(n, 1L << 20);
      case "GB":
        return Math.multiplyExact(n, 1L << 30);
      default:
        return n;
    }
  }

  /** The shortest exact way to write it back: {@code 10MB}, {@code 1536KB}, {@code 100B}. */
  public static String format(long bytes) {
    if (bytes > 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + "GB";
    if (bytes > 0 && bytes % (1L << 20) == 0) return bytes / (1L << 20) + "MB";
    if (bytes > 0 && bytes % (1L << 10) == 0) return bytes / (1L << 10) + "KB";
    return bytes + "B";
  }
}
