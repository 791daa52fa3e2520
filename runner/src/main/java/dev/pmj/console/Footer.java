package dev.pmj.console;

import dev.pmj.config.Color;
import dev.pmj.supervisor.ProcessState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status footer as text: one entry per process (number, id in its color, state, restarts), the
 * selected one marked with {@code >}, packed into at most {@code maxLines} lines of the terminal's
 * width. When entries do not fit they get shorter (no restart count, short states), then the ones
 * farthest from the selection are left out and counted. Pure: lines come back with ANSI colors
 * (when asked for) and never wider than the width.
 */
final class Footer {
  /** What the footer shows of one process. */
  record Entry(
      String id,
      Color color,
      ProcessState state,
      int restarts,
      Integer exitCode,
      Instant backoffUntil) {}

  private static final String HINT = "? keys";

  /** Marks a hint that gets a line of its own rather than be left out. */
  private static final String MUST = "\0";

  private Footer() {}

  /** The footer's lines for {@code entries}, {@code selected} an index into them. */
  static List<String> render(
      List<Entry> entries,
      int selected,
      String focus,
      int width,
      int maxLines,
      boolean color,
      Instant now) {
    return render(entries, selected, focus, null, width, maxLines, color, now);
  }

  /**
   * @param waits what the footer must say (a process waits for input): in place of the keys hint,
   *     on a line of its own when the entries' last line has no room for it
   */
  static List<String> render(
      List<Entry> entries,
      int selected,
      String focus,
      String waits,
      int width,
      int maxLines,
      boolean color,
      Instant now) {
    String hint =
        waits != null ? MUST + waits : focus == null ? HINT : "focus: " + focus + " (f ends)";
    width = Math.max(10, width);
    maxLines = Math.max(1, maxLines);
    for (int detail = 2; detail >= 0; detail--) {
      List<Cell> cells = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++)
        cells.add(cell(entries.get(i), i, i == selected, detail, color, now));
      List<String> lines = pack(cells, width, color, hint);
      if (lines.size() <= maxLines) return lines;
    }
    // Still too many: keep a window of entries around the selection, say how many are left out.
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++)
      cells.add(cell(entries.get(i), i, i == selected, 0, color, now));
    int from = selected;
    int to = selected + 1;
    while (true) {
      boolean grew = false;
      if (to < cells.size() && fits(cells, from, to + 1, width, maxLines, color, hint)) {
        to++;
        grew = true;
      }
      if (from > 0 && fits(cells, from - 1, to, width, maxLines, color, hint)) {
        from--;
        grew = true;
      }
      if (!grew) break;
    }
    return window(cells, from, to, width, color, hint);
  }

  private record Cell(String plain, String styled) {}

  private static boolean fits(
      List<Cell> cells, int from, int to, int width, int maxLines, boolean color, String hint) {
    return window(cells, from, to, width, color, hint).size() <= maxLines;
  }

  private static List<String> window(
      List<Cell> cells, int from, int to, int width, boolean color, String hint) {
    List<Cell> shown = new ArrayList<>();
    if (from > 0) shown.add(new Cell("<" + from + " more", dim("<" + from + " more", color)));
    shown.addAll(cells.subList(from, to));
    int after = cells.size() - to;
    if (after > 0) shown.add(new Cell(after + " more>", dim(after + " more>", color)));
    return pack(shown, width, color, hint);
  }

  private static List<String> pack(List<Cell> cells, int width, boolean color, String hint) {
    List<String> lines = new ArrayList<>();
    StringBuilder plain = new StringBuilder();
    StringBuilder styled = new StringBuilder();
    for (Cell c : cells) {
      String p = c.plain();
      String s = c.styled();
      if (p.length() > width) {
        p = p.substring(0, width);
        s = p;
      }
      int need = plain.length() == 0 ? p.length() : plain.length() + 2 + p.length();
      if (need > width && plain.length() > 0) {
        lines.add(styled.toString());
        plain.setLength(0);
        styled.setLength(0);
      }
      if (plain.length() > 0) {
        plain.append("  ");
        styled.append("  ");
      }
      plain.append(p);
      styled.append(s);
    }
    boolean must = hint.startsWith(MUST);
    if (must) hint = hint.substring(MUST.length());
    if (plain.length() > 0) {
      if (plain.length() + 2 + hint.length() <= width) {
        styled.append("  ").append(must ? bold(hint, color) : dim(hint, color));
        must = false;
      }
      lines.add(styled.toString());
    }
    if (must) lines.add(bold(hint.length() > width ? hint.substring(0, width) : hint, color));
    return lines;
  }

  private static Cell cell(
      Entry e, int index, boolean selected, int detail, boolean color, Instant now) {
    String number = index < 9 ? Integer.toString(index + 1) : " ";
    String state = state(e, detail, now);
    String restarts =
        detail >= 2 && e.restarts() > 0
            ? " (" + e.restarts() + (e.restarts() == 1 ? " restart)" : " restarts)")
            : "";
    String mark = selected ? ">" : " ";
    String plain = mark + number + " " + e.id() + " " + state + restarts;
    if (!color) return new Cell(plain, plain);
    String id = "\033[" + (selected ? "1;7;" : "") + e.color().ansi() + "m" + e.id() + "\033[0m";
    String styled = mark + number + " " + id + " " + paint(e.state(), state) + restarts;
    return new Cell(plain, styled);
  }

  static String state(Entry e, int detail, Instant now) {
    ProcessState s = e.state();
    String word;
    switch (s) {
      case BACKOFF:
        long left =
            e.backoffUntil() == null
                ? 0
                : Math.max(0, Duration.between(now, e.backoffUntil()).toMillis());
        word = (detail >= 1 ? "backoff " : "bo ") + ((left + 999) / 1000) + "s";
        break;
      case EXITED:
        word = detail >= 1 ? "exited" + (e.exitCode() == null ? "" : " " + e.exitCode()) : "exit";
        break;
      default:
        word = s.name().toLowerCase(java.util.Locale.ROOT);
        if (detail == 0 && word.length() > 5) word = word.substring(0, 5);
    }
    return word;
  }

  private static String paint(ProcessState s, String word) {
    int code;
    switch (s) {
      case RUNNING:
      case READY:
        code = 32;
        break;
      case BACKOFF:
      case STARTING:
      case STOPPING:
      case PENDING:
        code = 33;
        break;
      case FAILED:
        code = 31;
        break;
      default:
        code = 90;
    }
    return "\033[" + code + "m" + word + "\033[0m";
  }

  private static String bold(String s, boolean color) {
    return color ? "\033[1;33m" + s + "\033[0m" : s;
  }

  private static String dim(String s, boolean color) {
    return color ? "\033[90m" + s + "\033[0m" : s;
  }
}
