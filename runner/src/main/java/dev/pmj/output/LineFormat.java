package dev.pmj.output;

import dev.pmj.config.Color;
import dev.pmj.config.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
  private final Map<String, byte[]> prefixes = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Color> colors = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger nextColor =
      new java.util.concurrent.atomic.AtomicInteger();
  private final int width;
  private final ZoneId zone = ZoneId.systemDefault();

  public LineFormat(List<ProcessSpec> processes, Style style) {
    this.style = style;
    int w = PMJ.length();
    int i = 0;
    for (ProcessSpec p : processes) {
      w = Math.max(w, p.id().length());
      colors.put(p.id(), p.color() != null ? p.color() : PALETTE.get(i++ % PALETTE.size()));
      nextColor.set(i);
    }
    this.width = w;
  }

  /**
   * The format of another view of the same run ({@code pmj logs}): the ids in pmj's order and the
   * colors pmj gave them, so that lines look as in {@code pmj up}.
   */
  public LineFormat(Map<String, Color> colorsById, Style style) {
    this.style = style;
    int w = PMJ.length();
    for (Map.Entry<String, Color> e : colorsById.entrySet()) {
      w = Math.max(w, e.getKey().length());
      if (e.getValue() != null) colors.put(e.getKey(), e.getValue());
    }
    nextColor.set(colors.size());
    this.width = w;
  }

  public Style style() {
    return style;
  }

  /** The color of a process's prefix. */
  public Color color(String id) {
    if (id == null) return Color.WHITE;
    // A process added while pmj runs takes the next color of the palette.
    return colors.computeIfAbsent(
        id, k -> PALETTE.get(Math.floorMod(nextColor.getAndIncrement(), PALETTE.size())));
  }

  /** Gives a process added while pmj runs the color its definition asks for. */
  public void color(String id, Color color) {
    if (color != null) colors.putIfAbsent(id, color);
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

  /**
   * One line as {@code pmj up} shows it, for views that get lines as text ({@code pmj logs}):
   * {@code id} is a process, or null (or {@code pmj}) for pmj's own lines.
   */
  public String line(String id, Instant at, String text) {
    boolean pmj = id == null || id.equals(PMJ);
    StringBuilder sb = new StringBuilder();
    sb.append(new String(timestamp(at), StandardCharsets.UTF_8));
    sb.append(new String(prefix(pmj ? null : id), StandardCharsets.UTF_8));
    sb.append(text);
    // A child's color left on at the end of its line must not bleed into the next prefix.
    if (style.color() && text.indexOf('\033') >= 0) sb.append("\033[0m");
    return sb.toString();
  }

  /** {@code HH:mm:ss.SSS } when timestamps are on, else empty. */
  public byte[] timestamp(Instant at) {
    if (!style.timestamps()) return EMPTY;
    String t = TIME.format(at.atZone(zone)) + " ";
    return (style.color() ? "\033[2m" + t + "\033[0m" : t).getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[] EMPTY = new byte[0];
}
