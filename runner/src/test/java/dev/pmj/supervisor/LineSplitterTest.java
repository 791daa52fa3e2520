package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private static final Instant T = Instant.EPOCH;

  private static ProcessEvent.OutputLines feed(LineSplitter s, String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return s.feed(b, 0, b.length, T);
  }

  @Test
  void splitsOnNewlineOnlyAndKeepsBlankLinesAndCarriageReturns() {
    LineSplitter s = new LineSplitter("a", 1 << 20);
    assertEquals(
        List.of("one", "", "pro\rgress", "crlf\r"), feed(s, "one\n\npro\rgress\ncrlf\r\n").lines());
  }

  @Test
  void joinsALineSplitAcrossReads() {
    LineSplitter s = new LineSplitter("a", 1 << 20);
    assertNull(feed(s, "hel"));
    assertEquals(List.of("hello", "wor"), feed(s, "lo\nwor\n").lines());
  }

  @Test
  void aPartialLineIsFlushedOnRequestAndTheRestStartsANewLine() {
    LineSplitter s = new LineSplitter("a", 1 << 20);
    assertNull(feed(s, "name? "));
    assertEquals(List.of("name? "), s.flushPartial(T).lines());
    assertNull(s.flushPartial(T));
    assertEquals(List.of("bob"), feed(s, "bob\n").lines());
  }

  @Test
  void bytesArePassedThroughUnchanged() {
    LineSplitter s = new LineSplitter("a", 1 << 20);
    byte[] in = {(byte) 0xff, (byte) 0xfe, 0x1b, '[', '3', '1', 'm', 0, '\n'};
    ProcessEvent.OutputLines lines = s.feed(in, 0, in.length, T);
    assertEquals(1, lines.count());
    byte[] line = new byte[lines.lengths()[0]];
    System.arraycopy(lines.data(), lines.starts()[0], line, 0, line.length);
    assertArrayEquals(java.util.Arrays.copyOf(in, in.length - 1), line);
  }

  @Test
  void aLineLongerThanTheLimitIsPublishedInPiecesNotLost() {
    LineSplitter s = new LineSplitter("a", 10);
    assertNull(feed(s, "12345"));
    assertEquals(List.of("1234567890ab"), feed(s, "67890ab").lines());
    assertEquals(List.of("c"), feed(s, "c\n").lines());
  }

  @Test
  void everyByteValueNextToANewlineIsKeptInItsLineAtEveryOffsetOfAWord() {
    // The newline search reads eight bytes at a time: a byte just after a newline (a vertical tab,
    // 0x0b, is the classic false match of a zero-byte test) must never be taken for one.
    for (int b = 0; b < 256; b++) {
      if (b == '\n') continue;
      for (int offset = 0; offset < 16; offset++) {
        StringBuilder text = new StringBuilder("x".repeat(offset));
        text.append('\n').append((char) b).append((char) b).append("y\n").append("z".repeat(17));
        text.append('\n');
        LineSplitter s = new LineSplitter("a", 1 << 20);
        String pair = String.valueOf((char) b).repeat(2);
        ProcessEvent.OutputLines lines = feed(s, text.toString());
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < lines.count(); i++) {
          got.add(
              new String(
                  lines.data(),
                  lines.starts()[i],
                  lines.lengths()[i],
                  StandardCharsets.ISO_8859_1));
        }
        assertEquals(
            List.of("x".repeat(offset), pair + "y", "z".repeat(17)),
            got,
            "byte " + b + " at offset " + offset);
      }
    }
  }

  @Test
  void aReadOfManyShortLinesGivesEveryOne() {
    LineSplitter s = new LineSplitter("a", 1 << 20);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 70_000; i++) text.append(i % 7 == 0 ? "" : "l" + i).append('\n');
    ProcessEvent.OutputLines lines = feed(s, text.toString());
    assertEquals(70_000, lines.count());
    assertEquals("", lines.line(0));
    assertEquals("l69999", lines.line(69_999));
    assertEquals("l1", lines.line(1));
  }
}
