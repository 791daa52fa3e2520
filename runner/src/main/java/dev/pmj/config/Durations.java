package dev.pmj.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the file: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /** Parses a duration the schema already accepted. */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) throw new IllegalArgumentException("not a duration: " + text);
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          total = total.plusMillis(n);
          break;
        case "s":
          total = total.plusSeconds(n);
          break;
        case "m":
          total = total.plusMinutes(n);
          break;
        default:
          total = total.plusHours(n);
      }
      end = m.end();
    }
    if (end != text.length() || end == 0)
      throw new IllegalArgumentException("not a duration: " + text);
    return total;
  }

  /** The shortest way to write it back: {@code 1500ms}, {@code 5s}, {@code 2m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0 && ms > 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
