package dev.pmj.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelled keys, values and ids. */
public final class Suggestions {
  private Suggestions() {}

  /** The closest candidate to {@code word}, or null when none is close enough to be a typo. */
  public static String closest(String word, Collection<String> candidates) {
    // "SIGTERM" for "TERM": the usual way to write a signal.
    if (word.length() > 3 && word.regionMatches(true, 0, "SIG", 0, 3)) {
      for (String c : candidates) if (c.equalsIgnoreCase(word.substring(3))) return c;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = normalize(word);
    for (String c : candidates) {
      String n = normalize(c);
      int d = n.equals(w) ? 0 : distance(w, n);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null) return null;
    int allowed = Math.max(1, Math.min(3, Math.max(word.length(), best.length()) / 3));
    return bestDistance <= allowed ? best : null;
  }

  /** " (did you mean "x"?)" or "" — ready to append to a message. */
  public static String didYouMean(String word, Collection<String> candidates) {
    String s = closest(word, candidates);
    return s == null ? "" : "did you mean \"" + s + "\"?";
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Damerau-Levenshtein (optimal string alignment) distance: a swap of two letters is one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
