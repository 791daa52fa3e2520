package dev.pmj.config;

/** When a process is started again after it exits. */
public enum RestartPolicy {
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
  NEVER("never");

  private final String word;

  RestartPolicy(String word) {
    this.word = word;
  }

  /** The word used in the file. */
  public String word() {
    return word;
  }

  static RestartPolicy of(String word) {
    for (RestartPolicy p : values()) if (p.word.equals(word)) return p;
    throw new IllegalArgumentException(word);
  }
}
