package dev.pmj.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** When a terminal's output ends with a partial line: the footer's "waits for input". */
class PromptsTest {
  private static boolean after(boolean before, String bytes) {
    return Prompts.endsPartial(before, bytes.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void textAfterTheLastNewlineIsAPartialLine() {
    assertTrue(after(false, "continue? [y/N] "));
    assertTrue(after(false, "> x.py(4)<module>()\r\n-> print()\r\n(Pdb) "));
    assertTrue(after(false, "\033[1;32m>>> \033[0m")); // a colored prompt
    assertFalse(after(true, "answer: y\r\n"));
    assertFalse(after(false, "line\r\n\033[?2004l\r"));
  }

  @Test
  void bytesWithoutANewlineKeepAPartialLineAndAddOnlyText() {
    assertTrue(after(true, "y")); // the answer echoed: still no newline
    assertTrue(after(true, "\033[K"));
    assertFalse(after(false, "\033]0;title\007\033[K\r"));
  }
}
