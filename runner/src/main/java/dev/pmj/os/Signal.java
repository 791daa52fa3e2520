package dev.pmj.os;

import java.util.Locale;

/** Signals pmj sends to process groups; names as in the file's {@code stopSignal}. */
public enum Signal {
  TERM(15),
  INT(2),
  HUP(1),
  QUIT(3),
  KILL(9),
  USR1(10),
  USR2(12);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  /** The Linux signal number (the exit code of a process killed by it is 128 + this). */
  public int number() {
    return number;
  }

  public static Signal of(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return valueOf(n.startsWith("SIG") ? n.substring(3) : n);
  }

  /** The signal whose number is {@code n}, or null. */
  public static Signal ofNumber(int n) {
    for (Signal s : values()) if (s.number == n) return s;
    return null;
  }

  /**
   * How pmj says a process ended, from its exit code as a shell gives it (128+N for signal N):
   * "exited with code 1", "killed by SIGINT".
   */
  public static String describeExit(int code) {
    if (code > 128) {
      Signal s = ofNumber(code - 128);
      if (s != null) return "killed by SIG" + s.name();
    }
    return "exited with code " + code;
  }
}
