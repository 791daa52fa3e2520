package dev.pmj.convert;

/** Text from another runner's file made safe from pmj's templates, or turned into them. */
final class Templates {
  private Templates() {}

  /**
   * Text pmj must pass on as it is: every {@code ${} becomes {@code $${}, which pmj turns back into
   * {@code ${} (the shell, or the program, still sees what it saw before).
   */
  static String literal(String s) {
    // Only ${ with a } after it is a template; a lone ${ is already left as it is.
    StringBuilder sb = new StringBuilder();
    int from = 0;
    for (int i = s.indexOf("${"); i >= 0; i = s.indexOf("${", i + 2)) {
      if (s.indexOf('}', i + 2) < 0) break;
      sb.append(s, from, i).append('$');
      from = i;
    }
    return sb.append(s.substring(from)).toString();
  }

  /**
   * The variable a template reads, with its fallback: {@code ${X:-d}}, or {@code ${X-d}} when only
   * an unset X falls back.
   */
  static String variable(String name, String fallback, boolean evenWhenEmpty) {
    if (fallback == null) return "${" + name + "}";
    return "${" + name + (evenWhenEmpty ? ":-" : "-") + literal(fallback).replace("}", "") + "}";
  }
}
