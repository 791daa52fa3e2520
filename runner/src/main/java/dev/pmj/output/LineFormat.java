package dev.pmj.output;

import dev.pmj.config.Color;
import dev.pmj.config.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a line looks: {@code <id padded> | <line>}, the prefix colored per process, pmj's own lines
 * under {@code pmj}. Prefixes are built once per process, as bytes.
 */
public final class LineFormat {
  public static final String PMJ = "pmj";
  private static final List<Color> PALETTE =
      List.of(
          Color.CYAN,
          Color.YELLOW,
          Color.GREEN,
          Color.MAGENTA,
          Color.BLUE,
          Color.BRIGHT_CYAN,
          Color.BRIGHT_YELLOW,
          Color.BRIGHT_GREEN,
          Color.BRIGHT_MAGENTA,
          Color.BRIGHT_BLUE);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /** User's choices of how output looks. */
  public record Style(boolean color, boolean timestamps, boolean prefix) {}

  private final Style style;
  private final Map<String, byte[]> prefixes = new HashMap<>();
  private final Map<String, Color> colors = new HashMap<>();
  private final int width;
  private final ZoneId zone = ZoneId.systemDefault();

  public LineFormat(List<ProcessSpec> processes, Style style) {
    this.style = style;
    int w = PMJ.length();
    int i = 0;
    for (ProcessSpec p : processes) {
      w = Math.max(w, p.id().length());
      colors.put(p.id(), p.color() != null ? p.color() : PALETTE.get(i++ % PALETTE.size()));
    }
    this.width = w;
  }

  public Style style() {
    return style;
  }

  /** The color of a process's prefix. */
  public Color color(String id) {
    return colors.getOrDefault(id, Color.WHITE);
  }

  /** The prefix bytes for {@code id} (null for pmj's own), ending in {@code " | "}. */
  public byte[] prefix(String id) {
    String key = id == null ? "\0pmj" : id;
    return prefixes.computeIfAbsent(key, k -> buildPrefix(id));
  }

  private byte[] buildPrefix(String id) {
    if (!style.prefix()) return new byte[0];
    String name = id == null ? PMJ : id;
    StringBuilder sb = new StringBuilder();
    String padded = name + " ".repeat(Math.max(0, width - name.length()));
    if (style.color()) {
      sb.append(id == null ? "\033[1m" : "\033[" + color(id).ansi() + "m")
          .append(padded)
          .append(" |\033[0m ");
    } else {
      sb.append(padded).append(" | ");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code HH:mm:ss.SSS } when timestamps are on, else empty. */
  public byte[] timestamp(Instant at) {
    if (!style.timestamps()) return EMPTY;
    String t = TIME.format(at.atZone(zone)) + " ";
    return (style.color() ? "\033[2m" + t + "\033[0m" : t).getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[] EMPTY = new byte[0];
}
