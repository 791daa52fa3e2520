package dev.pmj.supervisor;

import java.util.Arrays;

/**
 * What a line of a terminal's output looks like once printed: a terminal program redraws a line
 * with carriage returns and cursor movement, which, printed with a prefix, would garble the
 * terminal it is shown in. A folded line keeps the text after the last carriage return (the line's
 * last state), and its colours; cursor movement, erasing, private modes and titles go. The raw
 * bytes are kept apart for a terminal view ({@link TerminalRing}).
 */
final class TerminalText {
  private static final byte ESC = 0x1b;

  private TerminalText() {}

  /**
   * {@code lines} folded; a line that held nothing but control sequences is left out (a blank line
   * the program printed stays). Null when none is left.
   */
  static ProcessEvent.OutputLines fold(ProcessEvent.OutputLines lines) {
    if (lines == null) return null;
    byte[] data = new byte[lines.data().length];
    int[] starts = new int[lines.count()];
    int[] lengths = new int[lines.count()];
    int n = 0;
    int at = 0;
    for (int i = 0; i < lines.count(); i++) {
      int len = fold(lines.data(), lines.starts()[i], lines.lengths()[i], data, at);
      if (len == 0 && !blank(lines.data(), lines.starts()[i], lines.lengths()[i])) continue;
      starts[n] = at;
      lengths[n] = len;
      at += len;
      n++;
    }
    if (n == 0) return null;
    return new ProcessEvent.OutputLines(
        lines.id(), lines.at(), data, Arrays.copyOf(starts, n), Arrays.copyOf(lengths, n));
  }

  /** Whether a line is empty on a terminal too: nothing but carriage returns. */
  private static boolean blank(byte[] in, int off, int len) {
    for (int i = off; i < off + len; i++) if (in[i] != '\r') return false;
    return true;
  }

  /** Folds {@code in[off, off+len)} into {@code out} from {@code at}; returns the new length. */
  static int fold(byte[] in, int off, int len, byte[] out, int at) {
    int end = off + len;
    // A line ends with \r\n on a terminal: that \r returns to no new text.
    while (end > off && in[end - 1] == '\r') end--;
    int w = at;
    int i = off;
    while (i < end) {
      byte b = in[i];
      if (b == '\r') {
        // The text after it is the line's latest state; colours set before it still apply, but
        // keeping them would need a terminal's memory of attributes: the line starts over.
        w = at;
        i++;
      } else if (b == ESC) {
        int next = sequenceEnd(in, i, end);
        if (next - i >= 3 && in[i + 1] == '[' && in[next - 1] == 'm') {
          System.arraycopy(in, i, out, w, next - i);
          w += next - i;
        }
        i = next;
      } else if (b == '\b') {
        // Backspace (a line edited as typed): the character before goes.
        while (w > at && (out[w - 1] & 0xc0) == 0x80) w--;
        if (w > at) w--;
        i++;
      } else if ((b & 0xff) < 0x20 && b != '\t') {
        i++; // bell and other controls show nothing
      } else {
        out[w++] = b;
        i++;
      }
    }
    return w - at;
  }

  /** Where the escape sequence at {@code i} ends (exclusive). */
  private static int sequenceEnd(byte[] in, int i, int end) {
    if (i + 1 >= end) return end;
    byte kind = in[i + 1];
    int j = i + 2;
    if (kind == '[') {
      // CSI: parameters and intermediates, then one final byte (@ to ~).
      while (j < end && ((in[j] & 0xff) < 0x40 || (in[j] & 0xff) > 0x7e)) j++;
      return Math.min(end, j + 1);
    }
    if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {
      // OSC (a title), DCS, APC, PM: up to BEL or ESC \.
      while (j < end) {
        if (in[j] == 0x07) return j + 1;
        if (in[j] == ESC && j + 1 < end && in[j + 1] == '\\') return j + 2;
        j++;
      }
      return end;
    }
    if (kind == '(' || kind == ')' || kind == '#' || kind == '%') return Math.min(end, i + 3);
    return i + 2;
  }
}
