package dev.pmj.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ProcessEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What input mode and focus hold back: at most 16 MB of output, pmj's own lines always kept. */
class HeldTest {
  private static ProcessEvent.OutputLines megabyte(String id) {
    return new ProcessEvent.OutputLines(
        id, Instant.now(), new byte[1 << 20], new int[] {0}, new int[] {1 << 20});
  }

  @Test
  void theOldestOutputIsDroppedPastTheCapEvenBehindPmjsOwnLines() {
    ConsoleOutput.Held held = new ConsoleOutput.Held();
    held.add(new ProcessEvent.Notice("web", "web: restarting"));
    for (int i = 0; i < 40; i++) held.add(megabyte("flood"));
    // 16 MB kept of 40 written, pmj's line first still.
    assertEquals(16L << 20, held.bytes);
    assertEquals(16, held.lines);
    assertEquals(24, held.dropped);
    assertEquals(17, held.events.size());
    assertTrue(held.events.getFirst() instanceof ProcessEvent.Notice);
  }
}
