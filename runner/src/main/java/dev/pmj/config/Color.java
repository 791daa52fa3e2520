package dev.pmj.config;

/** Prefix colors a process may ask for; the names are those of the file. */
public enum Color {
  RED("red", 31),
  GREEN("green", 32),
  YELLOW("yellow", 33),
  BLUE("blue", 34),
  MAGENTA("magenta", 35),
  CYAN("cyan", 36),
  WHITE("white", 37),
  GRAY("gray", 90),
  BRIGHT_RED("brightRed", 91),
  BRIGHT_GREEN("brightGreen", 92),
  BRIGHT_YELLOW("brightYellow", 93),
  BRIGHT_BLUE("brightBlue", 94),
  BRIGHT_MAGENTA("brightMagenta", 95),
  BRIGHT_CYAN("brightCyan", 96);

  private final String word;
  private final int ansi;

  Color(String word, int ansi) {
    this.word = word;
    this.ansi = ansi;
  }

  public String word() {
    return word;
  }

  /** The SGR foreground code. */
  public int ansi() {
    return ansi;
  }

  public static Color of(String word) {
    for (Color c : values()) if (c.word.equals(word)) return c;
    throw new IllegalArgumentException(word);
  }
}
