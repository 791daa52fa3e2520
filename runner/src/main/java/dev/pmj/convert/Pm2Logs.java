package dev.pmj.convert;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A PM2 app's log files (out_file, error_file, log_file and their aliases): pmj writes both streams
 * to one logFile, resolved against the app's cwd as PM2 resolves it.
 */
final class Pm2Logs {
  /**
   * Every name PM2 takes for a log file: the combined log's first, then stdout's, then stderr's.
   */
  static final List<String> KEYS =
      List.of(
          "log_file",
          "log",
          "out_file",
          "out",
          "output",
          "out_log",
          "error_file",
          "error",
          "err",
          "err_file",
          "err_log");

  private Pm2Logs() {}

  /**
   * PM2's out_file, error_file and log_file: pmj writes both streams to one logFile, the combined
   * log if there is one, else stdout's, else stderr's; another file is a comment.
   */
  static void logFile(
      Draft d, Draft.Proc p, String where, Map<String, Object> app, String k, Object v) {
    Object value = Js.value(d, where + "." + k, v);
    if (value instanceof Boolean b) {
      if (b) {
        d.unsupported(
            p, where, k, v, "PM2's default log path; pmj writes a file only where logFile says");
      }
      return;
    }
    String path = Js.path(d, where + "." + k, v);
    if (path == null) return;
    if (path.equals("/dev/null") || path.equals("NULL"))
      return; // pmj writes no file unless told: the same
    String target = null;
    for (String key : KEYS) {
      Object o = app.get(key);
      if (o != null && !(o instanceof Boolean) && !"/dev/null".equals(o) && !"NULL".equals(o)) {
        target = key;
        break;
      }
    }
    if (k.equals(target)) {
      p.put("logFile", path);
    } else if (!path.equals(p.keys.get("logFile"))
        && !path.equals(Js.text(d, where, app.get(target), true))) {
      d.unsupported(p, where, k, path, "pmj writes stdout and stderr to one file, logFile");
    }
  }

  /** The logFile made relative to the file's folder, as pmj reads it, from the app's cwd. */
  static void fromCwd(Draft.Proc p) {
    // PM2 resolves log files against the app's cwd; pmj against the file's folder.
    Object log = p.keys.get("logFile");
    Object cwd = p.keys.get("cwd");
    if (log instanceof String l
        && cwd instanceof String c
        && Pm2.relative(l)
        && !c.startsWith("$")) {
      p.keys.put("logFile", Path.of(c).resolve(l).normalize().toString().replace('\\', '/'));
    }
  }
}
