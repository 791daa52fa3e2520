package dev.pmj.os;

/** No pseudo-terminal could be had for a child; the message says why, for the user. */
public final class NoTerminalException extends Exception {
  public NoTerminalException(String message) {
    super(message, null, false, false);
  }
}
