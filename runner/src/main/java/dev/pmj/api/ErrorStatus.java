package dev.pmj.api;

import dev.pmj.supervisor.ControlException;

/**
 * The one table between a {@link ControlException}'s kind and an HTTP status: the server answers
 * with it, and {@link HttpControl} turns the status back into the same kind.
 */
final class ErrorStatus {
  private ErrorStatus() {}

  /** The status the API answers a failed command with. */
  static int of(ControlException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case INVALID -> 400;
      case CONFLICT -> 409;
      case UNAVAILABLE -> 503;
    };
  }

  /** The kind a client makes of an error status: any the table does not give is UNAVAILABLE. */
  static ControlException.Kind kindOf(int status) {
    // A body over the limit is the request's fault, as a malformed one is.
    if (status == 413) return ControlException.Kind.INVALID;
    for (ControlException.Kind k : ControlException.Kind.values()) {
      if (of(k) == status) return k;
    }
    return ControlException.Kind.UNAVAILABLE;
  }
}
