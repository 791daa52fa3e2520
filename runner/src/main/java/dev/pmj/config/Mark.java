package dev.pmj.config;

/** A 1-based line and column in a source file. */
public record Mark(int line, int column) {
  public static final Mark START = new Mark(1, 1);
}
