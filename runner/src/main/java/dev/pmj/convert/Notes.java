package dev.pmj.convert;

import dev.pmj.config.Durations;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import dev.pmj.config.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an export could not carry over, or carried over only in part: one line each, for the
 * caller's warnings and for the header of the files they concern. A line about one process starts
 * with its name; a line about the whole project has none and goes into every file.
 */
final class Notes {
  /** The schema's default for logBuffer: another value is a choice the engines cannot keep. */
  static final int DEFAULT_LOG_BUFFER = 5000;

  private record Note(String process, String text) {}

  private final List<Note> notes = new ArrayList<>();

  /** A line about the whole project. */
  void project(String text) {
    notes.add(new Note(null, text));
  }

  /** A line about one process (all its instances). */
  void add(Group g, String text) {
    notes.add(new Note(g.name(), text));
  }

  /** Every line, project lines first, then each process's in file order. */
  List<String> all() {
    List<String> out = new ArrayList<>();
    for (Note n : notes) if (n.process == null) out.add(n.text);
    for (Note n : notes) if (n.process != null) out.add(n.process + ": " + n.text);
    return out;
  }

  /** The lines for the file of one process: the project's and that process's. */
  List<String> about(String process) {
    List<String> out = new ArrayList<>();
    for (Note n : notes) if (n.process == null) out.add(n.text);
    for (Note n : notes) if (process.equals(n.process)) out.add(n.process + ": " + n.text);
    return out;
  }

  /**
   * The keys no engine runs, noted for {@code g}: file watching, pmj's console and memory, pmj's
   * log files ({@code logsGoTo} says where the engine keeps output instead). Each engine notes
   * restartDependents itself: systemd carries part of it.
   */
  void pmjOnly(Group g, String logsGoTo) {
    ProcessSpec p = g.first();
    if (p.watch().devMode()) {
      String watch =
          "devMode (watchPaths "
              + p.watch().paths().stream().map(Path::toString).collect(Collectors.joining(", "))
              + (p.watch().ignore().isEmpty()
                  ? ""
                  : "; watchIgnore " + String.join(", ", p.watch().ignore()))
              + "; debounce "
              + Durations.format(p.watch().debounce())
              + ")";
      add(g, watch + ": restarting on file changes is pmj's development mode; not exported");
    }
    if (p.logs().file() != null) {
      add(
          g,
          "logFile "
              + p.logs().file()
              + " (rotated at "
              + Sizes.format(p.logs().maxSize())
              + ", "
              + p.logs().maxFiles()
              + " kept): not written; "
              + logsGoTo);
    }
    if (p.color() != null) add(g, "color " + p.color().word() + ": pmj's console only");
    if (p.logs().buffer() != DEFAULT_LOG_BUFFER) {
      add(g, "logBuffer " + p.logs().buffer() + ": lines pmj keeps in memory; not exported");
    }
  }

  /**
   * For a process with instances: the per-instance variables that replicas cannot have, and any
   * other difference between instances.
   */
  void replicas(Group g, String engine) {
    if (!g.replicated()) return;
    add(
        g,
        "instances "
            + g.members().size()
            + ": "
            + String.join(" and ", Group.PER_INSTANCE)
            + " are left out ("
            + engine
            + " replicas share one definition)");
    List<String> differ = g.instanceDifferences();
    if (!differ.isEmpty()) {
      add(
          g,
          "its instances differ in "
              + String.join(", ", differ)
              + " (through PMJ_INSTANCE); every replica runs the first instance's");
    }
  }

  /** The readiness probe in pmj's words: {@code readiness http http://…/ (interval 1s)}. */
  static String readiness(Readiness r) {
    String what;
    if (r instanceof Readiness.Http h) {
      what = "http " + h.url();
    } else if (r instanceof Readiness.Tcp t) {
      what = "tcp " + t.host() + ":" + t.port();
    } else if (r instanceof Readiness.Exec e) {
      what = "exec " + String.join(" ", e.command());
    } else if (r instanceof Readiness.LogLine l) {
      what = "logLine " + l.pattern().pattern();
    } else {
      throw new IllegalArgumentException("unknown readiness " + r);
    }
    return "readiness "
        + what
        + " (interval "
        + Durations.format(r.interval())
        + ", timeout "
        + Durations.format(r.timeout())
        + ")";
  }

  /** The first lines of every file: what was generated from which file, then {@code about}. */
  static List<String> header(
      String engine, Project project, List<String> about, List<String> notes) {
    List<String> h = new ArrayList<>();
    h.add("Generated by pmj export " + engine + " from " + project.file() + ".");
    h.addAll(about);
    if (notes.isEmpty()) {
      h.add("Everything in the file was carried over.");
    } else {
      h.add("Not carried over, or only in part:");
      for (String n : notes) h.add("- " + n);
    }
    return h;
  }

  /**
   * The restart delays of pmj in its words: {@code backoff 1s, backoffMax 30s, healthyAfter 10s}.
   */
  static String backoff(ProcessSpec p) {
    return "backoff "
        + Durations.format(p.restart().backoff())
        + ", backoffMax "
        + Durations.format(p.restart().backoffMax())
        + ", healthyAfter "
        + Durations.format(p.restart().healthyAfter());
  }
}
