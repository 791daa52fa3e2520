package dev.pmj.console;

import dev.pmj.output.LineFormat;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.supervisor.ProcessStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Size;

/**
 * What the footer shows, kept from the events: one entry per process in the order they came, the
 * selected one, the process in focus, the terminal's size. Its methods hold its lock: the writer's
 * thread updates it, the keys' thread selects, the clock's thread renders.
 */
final class FooterState {
  private final LineFormat format;
  private final Map<String, Footer.Entry> entries = new LinkedHashMap<>();
  private final List<String> order = new ArrayList<>();
  private int selected;
  private volatile String focus;
  private volatile String typing;
  private volatile java.util.function.Predicate<String> waits = id -> false;
  private Size size;

  FooterState(List<String> processes, LineFormat format, Size size) {
    this.format = format;
    this.size = size;
    for (String id : processes) {
      order.add(id);
      entries.put(id, new Footer.Entry(id, format.color(id), ProcessState.PENDING, 0, null, null));
    }
  }

  synchronized void update(ProcessEvent event) {
    if (event instanceof ProcessEvent.Added a) {
      format.color(a.id(), a.color());
      if (!entries.containsKey(a.id())) {
        order.add(a.id());
        entries.put(
            a.id(),
            new Footer.Entry(a.id(), format.color(a.id()), a.status().state(), 0, null, null));
      }
    } else if (event instanceof ProcessEvent.Removed r) {
      if (entries.remove(r.id()) != null) {
        String was = order.get(selected);
        order.remove(r.id());
        int at = order.indexOf(was);
        selected = at >= 0 ? at : Math.max(0, Math.min(selected, order.size() - 1));
      }
    } else if (event instanceof ProcessEvent.Snapshot s) {
      for (ProcessStatus p : s.processes()) put(p);
    } else if (event instanceof ProcessEvent.StateChanged c) {
      put(c.status());
    } else if (event instanceof ProcessEvent.RestartScheduled r) {
      Footer.Entry e = entries.get(r.id());
      if (e != null) {
        entries.put(
            r.id(),
            new Footer.Entry(
                e.id(),
                e.color(),
                ProcessState.BACKOFF,
                e.restarts(),
                e.exitCode(),
                Instant.now().plus(r.delay())));
      }
    }
  }

  /** The footer entry from a status; a backoff keeps the end time its RestartScheduled set. */
  private void put(ProcessStatus p) {
    Footer.Entry e = entries.get(p.id());
    if (e == null) return;
    Instant until = p.state() == ProcessState.BACKOFF ? e.backoffUntil() : null;
    entries.put(
        p.id(), new Footer.Entry(p.id(), e.color(), p.state(), p.restarts(), p.exitCode(), until));
  }

  synchronized List<String> lines() {
    int width = size.getColumns() > 0 ? size.getColumns() : 80;
    int height = size.getRows() > 0 ? size.getRows() : 24;
    String t = typing;
    if (t != null) {
      String line = "typing to " + t + " — Ctrl-] leaves";
      if (line.length() > width - 1) line = line.substring(0, Math.max(1, width - 1));
      return List.of(format.style().color() ? "\033[1;7m" + line + "\033[0m" : line);
    }
    int maxLines = Math.max(1, Math.min(3, height / 4));
    return Footer.render(
        new ArrayList<>(entries.values()),
        selected,
        focus,
        waiting(),
        width - 1,
        maxLines,
        format.style().color(),
        Instant.now());
  }

  /**
   * What the footer says of a running process that waits for input, the selected one first; null
   * when none does.
   */
  private String waiting() {
    java.util.function.Predicate<String> w = waits;
    String found = null;
    int at = -1;
    for (int i = 0; i < order.size(); i++) {
      String id = order.get(i);
      ProcessState s = entries.get(id).state();
      if (s != ProcessState.RUNNING && s != ProcessState.READY) continue;
      if (!w.test(id)) continue;
      if (i == selected) return id + " waits for input — press i";
      if (found == null) {
        found = id;
        at = i;
      }
    }
    if (found == null) return null;
    return found
        + " waits for input — "
        + (at < 9 ? "press " + (at + 1) + ", then i" : "select it, then press i");
  }

  /** Which processes wait for input now (a prompt shown, then nothing for a while). */
  void waits(java.util.function.Predicate<String> waits) {
    this.waits = waits;
  }

  /** The process typed to in input mode, or null: the footer then says only how to leave. */
  void typing(String id) {
    typing = id;
  }

  String typing() {
    return typing;
  }

  synchronized void size(Size now) {
    size = now;
  }

  /** The process whose output alone is shown, or null. */
  String focus() {
    return focus;
  }

  void focus(String id) {
    focus = id;
  }

  synchronized int count() {
    return order.size();
  }

  synchronized int selected() {
    return selected;
  }

  synchronized String selectedId() {
    return order.get(selected);
  }

  synchronized ProcessState state(String id) {
    Footer.Entry e = entries.get(id);
    return e == null ? null : e.state();
  }

  /** Selects the process at {@code index}, counted around the ends. */
  synchronized void select(int index) {
    int n = order.size();
    selected = ((index % n) + n) % n;
  }
}
