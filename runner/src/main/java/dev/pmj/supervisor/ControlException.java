package dev.pmj.supervisor;

import java.util.List;

/** A command that could not be carried out, with what a person or a client should know. */
public final class ControlException extends RuntimeException {
  /** Why: each maps to one HTTP status. */
  public enum Kind {
    /** No such process (404). */
    NOT_FOUND,
    /** The request is wrong: bad JSON, a bad process definition (400). */
    INVALID,
    /** It cannot be done in the current state: an id that exists, a declared process (409). */
    CONFLICT,
    /** pmj cannot be reached or answered oddly. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final List<String> details;

  public ControlException(Kind kind, String message) {
    this(kind, message, List.of());
  }

  /**
   * @param details more lines, such as every problem of a process definition
   */
  public ControlException(Kind kind, String message, List<String> details) {
    super(message, null, false, false);
    this.kind = kind;
    this.details = List.copyOf(details);
  }

  public Kind kind() {
    return kind;
  }

  public List<String> details() {
    return details;
  }

  static ControlException notFound(String id, java.util.Collection<String> known) {
    return new ControlException(
        Kind.NOT_FOUND,
        "no process \""
            + id
            + "\""
            + (known.isEmpty() ? "" : " (processes: " + String.join(", ", known) + ")"));
  }
}
