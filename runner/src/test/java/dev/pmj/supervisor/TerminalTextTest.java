package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a terminal's output becomes prefixed lines, and how its raw bytes are kept. */
class TerminalTextTest {
  /** The lines {@code raw} becomes, split as the output reader splits them. */
  private static List<String> folded(String raw) {
    LineSplitter splitter = new LineSplitter("p", 1 << 20);
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    ProcessEvent.OutputLines lines = splitter.feed(bytes, 0, bytes.length, Instant.EPOCH);
    ProcessEvent.OutputLines out = TerminalText.fold(lines);
    return out == null ? List.of() : out.lines();
  }

  @Test
  void lineEndsAndEchoLoseTheirCarriageReturns() {
    assertEquals(List.of("one", "two", "typed"), folded("one\r\ntwo\r\ntyped\r\r\n"));
  }

  @Test
  void aRedrawnLineShowsItsLastState() {
    assertEquals(
        List.of("progress 100%"),
        folded("progress  0%\r\u001b[Kprogress 50%\r\u001b[Kprogress 100%\r\n"));
  }

  @Test
  void coloursStayAndCursorEraseModeAndTitleSequencesGo() {
    assertEquals(
        List.of("\u001b[1;31merror\u001b[0m: x", "> 1 + 1"),
        folded(
            "\u001b]0;a title\u0007\u001b[?2004h\u001b[1;31merror\u001b[0m: x\u001b[2A\u001b[3C\r\n"
                + "\u001b[1G\u001b[0J> 1 + 1\u001b(B\r\n"));
  }

  @Test
  void backspaceTakesTheCharacterBeforeAndABellShowsNothing() {
    assertEquals(List.of("yes é"), folded("yex\b \bs éa\b\u0007\r\n"));
  }

  @Test
  void aBlankLineStaysAndALineOfControlsAloneGoes() {
    assertEquals(List.of("a", "", "b"), folded("a\r\n\r\n\u001b[?25l\r\nb\r\n"));
    assertNull(TerminalText.fold(null));
    assertEquals(List.of(), folded("\u001b[?25h\r\n"));
  }

  @Test
  void theRingKeepsTheLatestBytesInOrder() {
    TerminalRing ring = new TerminalRing();
    byte[] a = new byte[TerminalRing.SIZE - 10];
    java.util.Arrays.fill(a, (byte) 'a');
    ring.write(a, a.length);
    assertArrayEquals(a, ring.snapshot());
    byte[] b = "0123456789ABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII);
    ring.write(b, b.length);
    byte[] kept = ring.snapshot();
    assertEquals(TerminalRing.SIZE, kept.length);
    assertEquals(
        "0123456789ABCDEFGHIJ", new String(kept, kept.length - 20, 20, StandardCharsets.US_ASCII));
    assertEquals('a', kept[0]);
    byte[] huge = new byte[TerminalRing.SIZE * 2 + 3];
    huge[huge.length - 1] = 'z';
    ring.write(huge, huge.length);
    kept = ring.snapshot();
    assertEquals(TerminalRing.SIZE, kept.length);
    assertEquals('z', kept[kept.length - 1]);
  }
}
