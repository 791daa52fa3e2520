package dev.pmj.console;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ProcessState;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.utils.NonBlocking;

/**
 * The console's keys, bound as data ({@link #keyMap()}), read raw from stdin on their own thread,
 * each turned into a command on the {@link Control} or the console and echoed as one pmj line.
 */
final class Keys {
  private enum Action {
    UP,
    DOWN,
    SELECT,
    RESTART,
    RESTART_ALL,
    STOP_START,
    FOCUS,
    CLEAR,
    HELP,
    QUIT,
    STOP_PMJ,
    RELOAD,
    INTERRUPT,
    INPUT,
    NONE
  }

  static final String[] HELP = {
    "keys: Up/Down or Tab/Shift-Tab select a process, 1-9 select it directly",
    "keys: r restarts it, R restarts all, s stops or starts it, f shows only its output (f again: all)",
    "keys: i types to it when it is interactive (its terminal fills the screen; Ctrl-] comes back)",
    "keys: c clears the screen, L reloads the file, ? shows this, q or Ctrl-C quits (Ctrl-C again kills at once)",
  };

  static final String[] ATTACHED_HELP = {
    HELP[0],
    HELP[1],
    HELP[2],
    "keys: c clears the screen, L reloads the file, ? shows this, q or Ctrl-C detaches (pmj runs on), Q stops pmj",
  };

  private final Console console;
  private final FooterState footer;
  private final Control control;
  private final Console.Quit quit;
  private final boolean attached;
  private KeyInput raw;
  private BindingReader reader;

  Keys(Console console, FooterState footer, Control control, Console.Quit quit, boolean attached) {
    this.console = console;
    this.footer = footer;
    this.control = control;
    this.quit = quit;
    this.attached = attached;
  }

  static KeyMap<Action> keyMap() {
    KeyMap<Action> map = new KeyMap<>();
    map.bind(Action.UP, "\033[A", "\033OA", "k");
    map.bind(Action.DOWN, "\033[B", "\033OB", "j");
    map.bind(Action.DOWN, "\t");
    map.bind(Action.UP, "\033[Z");
    for (char d = '1'; d <= '9'; d++) map.bind(Action.SELECT, Character.toString(d));
    map.bind(Action.RESTART, "r");
    map.bind(Action.RESTART_ALL, "R");
    map.bind(Action.STOP_START, "s");
    map.bind(Action.FOCUS, "f");
    map.bind(Action.CLEAR, "c");
    map.bind(Action.HELP, "?");
    map.bind(Action.QUIT, "q");
    map.bind(Action.STOP_PMJ, "Q");
    map.bind(Action.RELOAD, "L");
    map.bind(Action.INTERRUPT, KeyMap.ctrl('C'));
    map.bind(Action.INPUT, "i");
    map.setNomatch(Action.NONE);
    map.setUnicode(Action.NONE);
    map.setAmbiguousTimeout(50);
    return map;
  }

  /** Reads keys until the console closes; the body of the keys' thread. */
  void read() {
    // Keys come from pmj's stdin directly, not through the terminal library's reader: that
    // reader switches the terminal to "min 0 time 1" by running stty from this thread, which
    // could race with restore() and leave the terminal changed after pmj ends.
    // Input mode reads the bytes under the reader: decoding one char at a time, it keeps none.
    raw = new KeyInput(new FileInputStream(FileDescriptor.in), "pmj-keys-read");
    reader = new BindingReader(NonBlocking.nonBlocking("pmj-keys", raw, StandardCharsets.UTF_8));
    KeyMap<Action> map = keyMap();
    while (!console.closed()) {
      Action a;
      try {
        a = reader.readBinding(map);
      } catch (RuntimeException e) {
        return; // the terminal was closed under the reader
      }
      if (a == null || console.closed()) return;
      try {
        act(a, reader.getLastBinding());
      } catch (RuntimeException e) {
        console.say(null, "key " + reader.getLastBinding() + " failed: " + e.getMessage());
      }
    }
  }

  private void act(Action a, String key) {
    if (footer.count() == 0) {
      if (a == Action.INPUT) console.say(null, "no process to type to (key i)");
      if (a != Action.HELP && a != Action.QUIT && a != Action.STOP_PMJ && a != Action.INTERRUPT)
        return;
    }
    String id = footer.count() == 0 ? null : footer.selectedId();
    switch (a) {
      case UP -> select(footer.selected() - 1);
      case DOWN -> select(footer.selected() + 1);
      case SELECT -> {
        int n = key.charAt(0) - '1';
        if (n < footer.count()) select(n);
      }
      case RESTART -> control.restart(id, "key r");
      case RESTART_ALL -> control.restart(Control.ALL, "key R");
      case STOP_START -> {
        ProcessState s = footer.state(id);
        if (s == ProcessState.STOPPED || s == ProcessState.EXITED || s == ProcessState.FAILED) {
          control.start(id, "key s");
        } else if (s == ProcessState.STOPPING) {
          console.say(id, "already stopping (key s)");
        } else {
          control.stop(id, "key s");
        }
      }
      case FOCUS -> {
        if (footer.focus() == null) {
          footer.focus(id);
          console.say(
              null,
              "focus on "
                  + id
                  + ": the others' output is held back until f is pressed again (key f)");
        } else {
          footer.focus(null);
          console.say(null, "focus off: all output shown again (key f)");
        }
        console.redraw(true);
      }
      case CLEAR -> {
        console.clearScreen();
        console.say(null, "screen cleared (key c)");
      }
      case HELP -> {
        for (String line : attached ? ATTACHED_HELP : HELP) console.say(null, line);
      }
      case RELOAD -> {
        try {
          control.reload("key L");
        } catch (dev.pmj.supervisor.ControlException e) {
          // the reload said what is wrong, in pmj's lines
        }
      }
      case STOP_PMJ -> quit.stopPmj("key Q");
      case QUIT -> quit.quit("key q", false);
      case INTERRUPT -> quit.quit("Ctrl-C", true);
      case INPUT -> typeTo(id);
      default -> {
        // an unbound key: nothing
      }
    }
  }

  /** Input mode on the selected process, when it is interactive and running; else one line. */
  private void typeTo(String id) {
    dev.pmj.supervisor.ProcessInfo p;
    try {
      p = control.process(id);
    } catch (dev.pmj.supervisor.ControlException e) {
      console.say(null, e.getMessage() + " (key i)");
      return;
    }
    if (!p.interactive()) {
      console.say(
          null,
          id
              + " is not interactive; add \"interactive: true\" to it in "
              + file()
              + " to type into it");
      return;
    }
    ProcessState s = footer.state(id);
    if (s == ProcessState.STOPPED || s == ProcessState.EXITED || s == ProcessState.FAILED) {
      console.say(null, id + " is not running; s starts it, then i types to it");
      return;
    }
    byte[] after = new InputMode(console, control, id).run(raw);
    // Keys pressed as it ended on its own are the console's again.
    if (after != null) reader.runMacro(new String(after, StandardCharsets.UTF_8));
  }

  /** The file's name, as the user knows it. */
  private String file() {
    try {
      java.nio.file.Path f = java.nio.file.Path.of(control.project().file()).getFileName();
      return f == null ? "pmj.yaml" : f.toString();
    } catch (RuntimeException e) {
      return "pmj.yaml";
    }
  }

  private void select(int index) {
    footer.select(index);
    console.redraw(false);
  }
}
