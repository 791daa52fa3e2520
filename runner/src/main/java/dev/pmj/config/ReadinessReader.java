package dev.pmj.config;

import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Variables.Where;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a process's {@code readiness} mapping into a {@link Readiness} probe. */
final class ReadinessReader {
  private final String file;
  private final Problems problems;
  private final CommandLines commandLines;

  ReadinessReader(String file, Problems problems, CommandLines commandLines) {
    this.file = file;
    this.problems = problems;
    this.commandLines = commandLines;
  }

  /** The probe at {@code path}, or null when there is none or it has a problem (reported). */
  Readiness read(ConfigNode node, String path, Variables vars) {
    if (!(node instanceof MapNode r)) return null;
    Fields f = new Fields(r, path, Schema.load().readiness(), file, problems);
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("http", "tcp", "exec", "logLine")) if (r.get(k) != null) kinds.add(k);
    if (kinds.size() != 1) {
      problems.add(
          file,
          r.mark(),
          path,
          kinds.isEmpty()
              ? "needs one of http, tcp, exec, logLine"
              : "has "
                  + String.join(" and ", kinds)
                  + "; keep exactly one of http, tcp, exec, logLine");
      return null;
    }
    Duration interval = f.duration("interval");
    Duration timeout = f.duration("timeout");
    String kind = kinds.get(0);
    ConfigNode probe = r.get(kind);
    String kp = path + "." + kind;
    if (kind.equals("exec")) {
      List<String> argv = commandLines.argv(probe, kp, vars);
      return argv == null ? null : new Readiness.Exec(argv, interval, timeout);
    }
    if (!(probe instanceof Scalar s && s.value() instanceof String text)) return null;
    String v = vars.resolve(text, new Where(file, s.mark(), kp));
    if (v == null) return null;
    switch (kind) {
      case "http":
        return http(v, s.mark(), kp, interval, timeout);
      case "tcp":
        return tcp(v, s.mark(), kp, interval, timeout);
      default:
        return logLine(v, s.mark(), kp, interval, timeout);
    }
  }

  private Readiness http(String v, Mark mark, String kp, Duration interval, Duration timeout) {
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
        problems.add(
            file,
            mark,
            kp,
            "must be an http:// or https:// URL with a host, such as http://localhost:8000/health (got \""
                + v
                + "\")");
        return null;
      }
      return new Readiness.Http(uri, interval, timeout);
    } catch (URISyntaxException e) {
      problems.add(file, mark, kp, "not a valid URL: " + e.getReason() + " (got \"" + v + "\")");
      return null;
    }
  }

  private Readiness tcp(String v, Mark mark, String kp, Duration interval, Duration timeout) {
    int colon = v.lastIndexOf(':');
    String host = colon < 0 ? "" : v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      problems.add(
          file,
          mark,
          kp,
          "must be HOST:PORT with a port from 1 to 65535, such as localhost:5432 (got \""
              + v
              + "\")");
      return null;
    }
    return new Readiness.Tcp(host, port, interval, timeout);
  }

  private Readiness logLine(String v, Mark mark, String kp, Duration interval, Duration timeout) {
    try {
      return new Readiness.LogLine(Pattern.compile(v), interval, timeout);
    } catch (PatternSyntaxException e) {
      problems.add(
          file,
          mark,
          kp,
          "not a valid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " (got \""
              + v
              + "\")");
      return null;
    }
  }
}
