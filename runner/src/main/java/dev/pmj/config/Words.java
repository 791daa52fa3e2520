package dev.pmj.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way a POSIX shell does, with none of the shell's other
 * features: single quotes keep everything literally, double quotes keep everything but {@code \"}
 * and {@code \\}, a backslash outside quotes escapes the next character.
 */
public final class Words {
  private Words() {}

  /** Thrown for an unterminated quote; {@code offset} is where the quote opened. */
  public static final class UnclosedQuote extends Exception {
    final int offset;

    UnclosedQuote(char quote, int offset) {
      super("unclosed " + (quote == '\'' ? "single" : "double") + " quote", null, false, false);
      this.offset = offset;
    }
  }

  public static List<String> split(String s) throws UnclosedQuote {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        if (end < 0) throw new UnclosedQuote(c, i);
        word.append(s, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        int j = i + 1;
        for (; j < s.length() && s.charAt(j) != '"'; j++) {
          char d = s.charAt(j);
          if (d == '\\' && j + 1 < s.length() && "\"\\$`".indexOf(s.charAt(j + 1)) >= 0) {
            word.append(s.charAt(++j));
          } else {
            word.append(d);
          }
        }
        if (j >= s.length()) throw new UnclosedQuote(c, i);
        i = j;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        word.append(s.charAt(++i));
        inWord = true;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(word.toString());
    return words;
  }

  /** Quotes a word for display or for {@code sh -c}, only when needed. */
  public static String quote(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) return word;
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
