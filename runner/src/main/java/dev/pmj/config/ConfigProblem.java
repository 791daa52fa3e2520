package dev.pmj.config;

/**
 * One thing wrong with a user's file, located precisely. {@code path} is the key path such as
 * {@code processes.api.restart}, or empty; {@code mark} is null for problems with the file as a
 * whole (missing, too large, not UTF-8).
 */
public record ConfigProblem(String file, Mark mark, String path, String message)
    implements Comparable<ConfigProblem> {

  static final String NO_FOLDER = "folder does not exist: ";
  static final String NO_ENV_FILE = "env file does not exist: ";
  static final String UNDEFINED = "undefined variable ";

  /**
   * Whether this is about the machine rather than the file: a folder or env file that is not there,
   * a variable that is not set. A file imported from elsewhere is right even so.
   */
  public boolean aboutThisMachine() {
    return message.startsWith(NO_FOLDER)
        || message.startsWith(NO_ENV_FILE)
        || message.contains(": " + UNDEFINED)
        || message.startsWith(UNDEFINED);
  }

  /** The env file this problem says does not exist, or null. */
  public java.nio.file.Path missingEnvFile() {
    // The loader writes the env file's absolute path after this prefix.
    return message.startsWith(NO_ENV_FILE)
        ? java.nio.file.Path.of(message.substring(NO_ENV_FILE.length()))
        : null;
  }

  /** {@code FILE:LINE:COL: PATH: message}, the one line a user sees. */
  public String format() {
    String where =
        mark == null ? file + ": " : file + ":" + mark.line() + ":" + mark.column() + ": ";
    return path.isEmpty() ? where + message : where + path + ": " + message;
  }

  @Override
  public int compareTo(ConfigProblem o) {
    int c = file.compareTo(o.file);
    if (c != 0) return c;
    c = Integer.compare(mark == null ? 0 : mark.line(), o.mark == null ? 0 : o.mark.line());
    if (c != 0) return c;
    c = Integer.compare(mark == null ? 0 : mark.column(), o.mark == null ? 0 : o.mark.column());
    return c != 0 ? c : message.compareTo(o.message);
  }

  @Override
  public String toString() {
    return format();
  }
}
