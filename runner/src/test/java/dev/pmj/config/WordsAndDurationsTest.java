package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordsAndDurationsTest {
  @Test
  void splitsLikeAPosixShellWithoutItsOtherFeatures() throws Exception {
    assertEquals(
        List.of("python3", "-c", "print('a b')", "x y", "a\"b", "$HOME", "|", "c d"),
        Words.split("python3 -c \"print('a b')\" 'x y' a\\\"b $HOME | c\\ d"));
    assertEquals(List.of("", "a"), Words.split("'' a"));
    assertEquals(List.of(), Words.split("   "));
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    Words.UnclosedQuote e =
        assertThrows(Words.UnclosedQuote.class, () -> Words.split("echo 'oops"));
    assertEquals("unclosed single quote", e.getMessage());
  }

  @Test
  void quotesOnlyWhenNeeded() {
    assertEquals("plain/path.txt", Words.quote("plain/path.txt"));
    assertEquals("'it'\\''s'", Words.quote("it's"));
    assertEquals("''", Words.quote(""));
  }

  @Test
  void durationsHaveUnits() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
  }
}
