package dev.pmj.config;

/**
 * A 1-based line and column in a source file. {@code file} names the file when it is not the one a
 * load is named after (a value from an override file or a later -f file), else null.
 */
public record Mark(int line, int column, String file) {
  public static final Mark START = new Mark(1, 1);

  public Mark(int line, int column) {
    this(line, column, null);
  }
}
