package dev.pmj.cli;

import dev.pmj.api.Instance;
import dev.pmj.os.TerminationSignals;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Connects this terminal to the terminal of an interactive process of the running pmj (README,
 * "Interactive processes"): its recent output, then every byte both ways until Ctrl-].
 */
@Command(
    name = "connect",
    mixinStandardHelpOptions = true,
    description =
        "Connects this terminal to an interactive process (its recent output, then what you type goes to it) until Ctrl-] or its exit.")
final class ConnectCommand implements Callable<Integer> {
  /** Ctrl-]: leaves, as telnet's escape; the one byte never sent to the process. */
  static final byte LEAVE = 0x1d;

  private final Context context;

  @Parameters(paramLabel = "ID", description = "The interactive process.")
  String id;

  ConnectCommand(Context context) {
    this.context = context;
  }

  /** What the follower and the keys tell the command's thread, in order. */
  private sealed interface Item {}

  private record Output(byte[] bytes) implements Item {}

  private record Notice(String line) implements Item {}

  /** The end: the line said after the terminal is restored, and the exit code. */
  private record Leave(String line, int code) implements Item {}

  @Override
  public Integer call() throws Exception {
    Remote remote = Remote.connect(context, "pmj connect");
    if (remote == null) return ExitCodes.FAILURE;
    List<ProcessInfo> processes;
    try {
      processes = remote.control.processes();
    } catch (ControlException e) {
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
    if (Remote.check(context, processes, List.of(id)) == null) return ExitCodes.FAILURE;
    BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    AutoCloseable follow;
    try {
      follow = remote.control.followTerminal(id, follower(remote, queue));
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.CONFLICT) {
        context.err.println(
            "pmj: " + id + " is not interactive; set interactive: true for it in pmj.yaml");
      } else {
        Remote.unreachable(context, remote, e);
      }
      return ExitCodes.FAILURE;
    }
    try {
      if (!context.typesAtATerminal()) {
        context.err.println(
            "pmj: connect needs a terminal (stdin and stdout, TERM not dumb); pmj logs -f "
                + id
                + " follows its output anywhere");
        return ExitCodes.USAGE;
      }
      return connected(remote.control, queue);
    } finally {
      close(follow);
    }
  }

  private int connected(Control control, BlockingQueue<Item> queue) throws Exception {
    Terminal terminal =
        TerminalBuilder.builder().system(true).provider("exec").nativeSignals(false).build();
    Attributes saved = terminal.getAttributes();
    Thread restore = new Thread(() -> restore(terminal, saved), "pmj-connect-restore");
    Runtime.getRuntime().addShutdownHook(restore);
    Leave leave;
    boolean atLineStart = true;
    try {
      terminal.setAttributes(raw(saved));
      TerminationSignals.install(
          name -> queue.add(new Leave("pmj: left " + id + " (received SIG" + name + ")", 1)));
      context.err.print("pmj: connected to " + id + "; Ctrl-] leaves\r\n");
      context.err.flush();
      resize(control, terminal);
      watchSize(control, terminal);
      startKeys(control, queue);
      while (true) {
        Item item = queue.take();
        if (item instanceof Output o) {
          context.out.write(o.bytes());
          context.out.flush();
          if (o.bytes().length > 0) atLineStart = o.bytes()[o.bytes().length - 1] == '\n';
        } else if (item instanceof Notice n) {
          context.err.print((atLineStart ? "" : "\r\n") + n.line() + "\r\n");
          context.err.flush();
          atLineStart = true;
        } else {
          leave = (Leave) item;
          break;
        }
      }
    } finally {
      restore(terminal, saved);
      terminal.close();
      try {
        Runtime.getRuntime().removeShutdownHook(restore);
      } catch (IllegalStateException e) {
        // shutting down already: the hook restores too
      }
    }
    if (!atLineStart) context.err.println();
    context.err.println(leave.line());
    return leave.code();
  }

  /**
   * Raw as the process's own terminal needs it: no echo, no line editing, no signals from keys
   * (Ctrl-C, Ctrl-Z go to the process as bytes), no translation either way.
   */
  private static Attributes raw(Attributes saved) {
    Attributes a = new Attributes(saved);
    a.setLocalFlags(
        EnumSet.of(
            Attributes.LocalFlag.ICANON,
            Attributes.LocalFlag.ECHO,
            Attributes.LocalFlag.ISIG,
            Attributes.LocalFlag.IEXTEN),
        false);
    a.setInputFlags(
        EnumSet.of(
            Attributes.InputFlag.IXON,
            Attributes.InputFlag.ICRNL,
            Attributes.InputFlag.INLCR,
            Attributes.InputFlag.IGNCR,
            Attributes.InputFlag.ISTRIP,
            Attributes.InputFlag.BRKINT),
        false);
    // The process's terminal already turned its \n into \r\n.
    a.setOutputFlag(Attributes.OutputFlag.OPOST, false);
    a.setControlChar(Attributes.ControlChar.VMIN, 1);
    a.setControlChar(Attributes.ControlChar.VTIME, 0);
    return a;
  }

  private static void restore(Terminal terminal, Attributes saved) {
    try {
      terminal.setAttributes(saved);
    } catch (RuntimeException e) {
      // the terminal is gone: nothing to restore
    }
  }

  private void resize(Control control, Terminal terminal) {
    try {
      Size s = terminal.getSize();
      if (s.getColumns() > 0 && s.getRows() > 0) control.resize(id, s.getColumns(), s.getRows());
    } catch (RuntimeException e) {
      // the process ended meanwhile, or pmj: the follower says so
    }
  }

  @SuppressWarnings("restriction")
  private void watchSize(Control control, Terminal terminal) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> resize(control, terminal));
    } catch (IllegalArgumentException e) {
      // no SIGWINCH here: the size given at start stays
    }
  }

  /** Sends what is typed to the process until Ctrl-], on a thread of its own. */
  private void startKeys(Control control, BlockingQueue<Item> queue) {
    Thread keys =
        new Thread(
            () -> {
              InputStream in = context.in;
              byte[] buf = new byte[4096];
              try {
                while (true) {
                  int n = in.read(buf);
                  if (n < 0) {
                    queue.add(new Leave("pmj: left " + id + " (end of input); it runs on", 0));
                    return;
                  }
                  int leaveAt = -1;
                  for (int i = 0; i < n; i++) {
                    if (buf[i] == LEAVE) {
                      leaveAt = i;
                      break;
                    }
                  }
                  int send = leaveAt < 0 ? n : leaveAt;
                  if (send > 0) input(control, Arrays.copyOf(buf, send), queue);
                  if (leaveAt >= 0) {
                    queue.add(
                        new Leave(
                            "pmj: left "
                                + id
                                + " (Ctrl-]); it runs on: pmj connect "
                                + id
                                + " comes back",
                            0));
                    return;
                  }
                }
              } catch (IOException e) {
                queue.add(new Leave("pmj: cannot read this terminal: " + e.getMessage(), 1));
              }
            },
            "pmj-connect-keys");
    keys.setDaemon(true);
    keys.start();
  }

  private void input(Control control, byte[] bytes, BlockingQueue<Item> queue) {
    try {
      control.input(id, bytes);
    } catch (ControlException e) {
      // Between runs there is no terminal to type into: said, and the keys go on.
      queue.add(new Notice("pmj: " + e.getMessage()));
    }
  }

  private Control.TerminalFollower follower(Remote remote, BlockingQueue<Item> queue) {
    return new Control.TerminalFollower() {
      @Override
      public void output(byte[] bytes) {
        queue.add(new Output(bytes));
      }

      @Override
      public void exited(ProcessState state, Integer code) {
        String how = id + " " + describeExit(code);
        // EXITED and FAILED are final; after BACKOFF it starts again, and a stopped process
        // (pmj stop, pmj restart) may be started again: the terminal waits for it.
        if (state == ProcessState.EXITED || state == ProcessState.FAILED) {
          queue.add(new Leave("pmj: " + how, 0));
        } else if (state == ProcessState.STOPPED) {
          queue.add(
              new Notice(
                  "pmj: " + id + " stopped; it shows here when it starts again (Ctrl-] leaves)"));
        } else {
          queue.add(new Notice("pmj: " + how + "; it restarts"));
        }
      }

      @Override
      public void restarted(long pid) {
        queue.add(new Notice("pmj: " + id + " restarted (pid " + pid + ")"));
      }

      @Override
      public void ended(boolean dropped) {
        if (dropped) {
          queue.add(
              new Leave(
                  "pmj: disconnected: this terminal read slower than "
                      + id
                      + " wrote (pmj connect "
                      + id
                      + " connects again)",
                  1));
          return;
        }
        queue.add(why(remote));
      }
    };
  }

  /**
   * Why the stream ended without being dropped: pmj stopped (it answers no more, or its state file
   * says so within a few seconds: the stream ends before pmj is gone), the process was removed, or
   * the connection was lost.
   */
  private Leave why(Remote remote) {
    String stopped = "pmj: the pmj of " + context.loader().display(remote.file) + " stopped";
    try {
      if (remote.control.processes().stream().noneMatch(p -> p.id().equals(id)))
        return new Leave("pmj: " + id + " was removed", 0);
    } catch (ControlException e) {
      return new Leave(stopped, 0);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (Instance.find(remote.dir) instanceof Instance.NotRunning) return new Leave(stopped, 0);
        Thread.sleep(100); // pmj shutting down: polling its state file with a deadline
      } catch (IOException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Leave(
        "pmj: the connection to pmj was lost (pmj connect " + id + " connects again)", 1);
  }

  /** As pmj's own lines say it: "exited with code 1", "killed by SIGINT". */
  private static String describeExit(Integer code) {
    return code == null ? "exited" : dev.pmj.os.Signal.describeExit(code);
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // ended already
    }
  }
}
