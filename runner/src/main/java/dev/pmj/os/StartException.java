package dev.pmj.os;

/** A process could not be started; the message is the OS's reason, for the user. */
public final class StartException extends Exception {
  public StartException(String message) {
    super(message, null, false, false);
  }
}
