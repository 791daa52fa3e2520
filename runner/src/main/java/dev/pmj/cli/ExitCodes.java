package dev.pmj.cli;

/** Exit codes of every command (README, "`pmj up`"). */
final class ExitCodes {
  static final int OK = 0;

  /** A process failed (with --exit-on-failure), no running instance, or an internal error. */
  static final int FAILURE = 1;

  /** A usage or config error. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
