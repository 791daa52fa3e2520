package dev.pmj.cli;

import dev.pmj.api.HttpControl;
import dev.pmj.api.Instance;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running pmj of the project around the working folder, for the commands of a second terminal
 * (README, "From a second terminal"): the ecosystem file is found as {@code pmj up} finds it, and
 * its {@code .pmj/state.json} says where the API is.
 */
final class Remote {
  final HttpControl control;
  final Instance.State state;
  final Path file;
  final Path dir;

  private Remote(HttpControl control, Instance.State state, Path file) {
    this.control = control;
    this.state = state;
    this.file = file;
    this.dir = Instance.dirOf(file);
  }

  /**
   * Connects to the project's running pmj; null after one line on stderr saying why not (the caller
   * exits 1).
   *
   * @param client how the command names itself in pmj's lines ("pmj restart")
   */
  static Remote connect(Context context, String client) {
    Optional<Path> located = context.locateFile();
    if (located.isEmpty()) {
      context.err.println(
          "pmj: no pmj is running here: there is no pmj.yaml, pmj.yml or pmj.json in "
              + context.workingDir
              + " or its parents (pass -f FILE)");
      return null;
    }
    Path file = located.get().toAbsolutePath().normalize();
    String shown = context.loader().display(file);
    Path dir = Instance.dirOf(file);
    Instance.Found found;
    try {
      found = Instance.find(dir);
    } catch (Instance.Untrusted e) {
      context.err.println(refusing(context, e));
      return null;
    } catch (java.io.IOException e) {
      context.err.println(
          "pmj: cannot read " + context.loader().display(dir) + ": " + e.getMessage());
      return null;
    }
    if (found instanceof Instance.Starting) {
      context.err.println(
          "pmj: pmj is starting for "
              + shown
              + " and has no API address yet; try again in a moment");
      return null;
    }
    if (found instanceof Instance.NotRunning n) {
      context.err.println(notRunning(context, file, n));
      return null;
    }
    Instance.State state = ((Instance.Running) found).state();
    return new Remote(new HttpControl(state, client, timeout(context)), state, file);
  }

  /**
   * The line that refuses a .pmj that is not pmj's to use (README, "From a second terminal"): the
   * path and what is wrong.
   */
  static String refusing(Context context, Instance.Untrusted e) {
    return "pmj: refusing to use "
        + context.loader().display(e.path())
        + ": "
        + e.problem()
        + " (pmj keeps its token and logs only in a real folder of yours, in files of its own; remove it and try again)";
  }

  /** Says that no pmj runs {@code file}, and that a stale state file was removed, if one was. */
  private static String notRunning(Context context, Path file, Instance.NotRunning n) {
    return "pmj: no pmj is running "
        + context.loader().display(file)
        + (n.removedStale()
            ? " (removed "
                + context.loader().display(Instance.dirOf(file).resolve("state.json"))
                + ", left by a run that ended; start it with pmj up)"
            : " (start it with pmj up)");
  }

  /**
   * How long a request waits for pmj: {@link HttpControl#TIMEOUT}, or PMJ_API_TIMEOUT seconds (for
   * a very slow machine, and for tests of a pmj that does not answer).
   */
  static java.time.Duration timeout(Context context) {
    String v = context.env.get("PMJ_API_TIMEOUT");
    if (v != null) {
      try {
        double s = Double.parseDouble(v.strip());
        if (s > 0 && s <= 3600) return java.time.Duration.ofMillis(Math.round(s * 1000));
      } catch (NumberFormatException e) {
        // not a number: the standard time
      }
    }
    return HttpControl.TIMEOUT;
  }

  /** Says that pmj could not be reached, in one line: it ended meanwhile, or did not answer. */
  static void unreachable(Context context, Remote r, ControlException e) {
    Instance.Found now;
    try {
      now = Instance.find(r.dir);
    } catch (java.io.IOException x) {
      now = null;
    }
    if (now instanceof Instance.NotRunning n) {
      context.err.println(notRunning(context, r.file, n));
    } else {
      context.err.println("pmj: " + e.getMessage());
    }
  }

  /**
   * Checks ids against the running processes before anything is done; null (after saying which is
   * unknown) when one is not there.
   */
  static List<String> check(Context context, List<ProcessInfo> processes, List<String> ids) {
    List<String> known = new ArrayList<>();
    for (ProcessInfo p : processes) known.add(p.id());
    for (String id : ids) {
      if (!known.contains(id)) {
        sayNoProcess(context, id, known, known);
        return null;
      }
    }
    return ids;
  }

  /**
   * The line for an id the file has no process of: the closest of {@code candidates}, else every
   * process of {@code known}.
   */
  static void sayNoProcess(
      Context context,
      String id,
      java.util.Collection<String> candidates,
      java.util.Collection<String> known) {
    String dym = dev.pmj.config.Suggestions.didYouMean(id, candidates);
    context.err.println(
        "pmj: no process \""
            + id
            + "\" ("
            + (dym.isEmpty() ? "processes: " + String.join(", ", known) : dym)
            + ")");
  }
}
