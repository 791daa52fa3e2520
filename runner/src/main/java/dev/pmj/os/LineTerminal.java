package dev.pmj.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A child's stdin as a pipe, where no pseudo-terminal can be had (README, "Interactive processes"):
 * what is typed is kept and edited here as a terminal in line mode would (echo, Backspace, Ctrl-U),
 * and the line goes to the child on Enter; Ctrl-C and Ctrl-\ signal its group, Ctrl-D on an empty
 * line closes its stdin (end of file). Cursor keys and other escape sequences are dropped: a pipe
 * has nothing to move. Lines are written by a thread of this child's own, since a write to a pipe
 * the child does not read waits.
 */
final class LineTerminal extends Terminal {
  /** Compared by identity: the end of the child's input. */
  private static final byte[] END = new byte[0];

  private static final byte[] NEW_LINE = "\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RUB_OUT = "\b \b".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream stdin;
  private final Runnable interrupt;
  private final Runnable quit;
  private final String name;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private volatile Consumer<byte[]> echo = b -> {};
  private volatile boolean writing;
  private Thread writer;
  private boolean closed;

  /** The lines a write completed, sent once its echo is out. */
  private final java.util.List<byte[]> lines = new java.util.ArrayList<>();

  private boolean ended;

  /** 0: text; 1: after ESC; 2: inside ESC [ …; 3: after ESC O. */
  private int escape;

  /**
   * @param interrupt sends SIGINT to the child's group (Ctrl-C)
   * @param quit sends SIGQUIT to it (Ctrl-\)
   * @param name the writer thread's name
   */
  LineTerminal(OutputStream stdin, Runnable interrupt, Runnable quit, String name) {
    this.stdin = stdin;
    this.interrupt = interrupt;
    this.quit = quit;
    this.name = name;
  }

  /** The stdin of {@code process}, started with a pipe there by {@code control}. */
  static LineTerminal of(Process process, ProcessControl control) {
    long pid = process.pid();
    return new LineTerminal(
        process.getOutputStream(),
        () -> control.signalGroup(pid, Signal.INT),
        () -> control.signalGroup(pid, Signal.QUIT),
        "pmj-input-" + pid);
  }

  @Override
  public boolean isPseudoTerminal() {
    return false;
  }

  @Override
  public void echoTo(Consumer<byte[]> echo) {
    this.echo = echo;
  }

  @Override
  public void write(byte[] bytes) {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    Runnable signal = null;
    synchronized (this) {
      if (closed) return;
      for (byte b : bytes) {
        Runnable s = take(b & 0xff, shown);
        if (s != null) signal = s;
      }
      // The echo first, then the lines: the child's answer must not come before what was typed.
      if (shown.size() > 0) echo.accept(shown.toByteArray());
      for (byte[] l : lines) send(l);
      lines.clear();
    }
    if (signal != null) signal.run();
  }

  /** One typed byte; answers the signal it asks for, or null. */
  private Runnable take(int b, ByteArrayOutputStream shown) {
    if (escape == 1) {
      escape = b == '[' ? 2 : b == 'O' ? 3 : 0;
      return null;
    }
    if (escape == 2) {
      if (b >= 0x40 && b <= 0x7e) escape = 0;
      return null;
    }
    if (escape == 3) {
      escape = 0;
      return null;
    }
    switch (b) {
      case 0x1b -> escape = 1;
      case 0x03 -> {
        shown.writeBytes("^C\r\n".getBytes(StandardCharsets.US_ASCII));
        line.reset();
        return interrupt;
      }
      case 0x1c -> {
        shown.writeBytes("^\\\r\n".getBytes(StandardCharsets.US_ASCII));
        line.reset();
        return quit;
      }
      case 0x04 -> {
        lines.add(line.size() == 0 ? END : taken());
      }
      case 0x7f, 0x08 -> {
        if (rubOut()) shown.writeBytes(RUB_OUT);
      }
      case 0x15 -> {
        while (rubOut()) shown.writeBytes(RUB_OUT);
      }
      case '\r', '\n' -> {
        shown.writeBytes(NEW_LINE);
        line.write('\n');
        lines.add(taken());
      }
      default -> {
        if (b < 0x20 && b != '\t') return null;
        line.write(b);
        shown.write(b);
      }
    }
    return null;
  }

  private byte[] taken() {
    byte[] l = line.toByteArray();
    line.reset();
    return l;
  }

  /** Removes the line's last character (all its UTF-8 bytes); false when the line is empty. */
  private boolean rubOut() {
    byte[] l = line.toByteArray();
    if (l.length == 0) return false;
    int end = l.length - 1;
    while (end > 0 && (l[end] & 0xc0) == 0x80) end--;
    line.reset();
    line.write(l, 0, end);
    return true;
  }

  private void send(byte[] bytes) {
    // After the end of its input (Ctrl-D), nothing more reaches the child.
    if (ended) return;
    ended = bytes == END;
    queue.add(bytes);
    if (writer == null) {
      writer = new Thread(this::writeLines, name);
      writer.setDaemon(true);
      writer.start();
    }
  }

  private void writeLines() {
    try {
      while (true) {
        byte[] next = queue.take();
        if (next == END) break;
        writing = true;
        stdin.write(next);
        stdin.flush();
        writing = false;
      }
    } catch (IOException | InterruptedException e) {
      // The child is gone (or its stdin closed): nobody reads what is left.
      queue.clear();
    } finally {
      writing = false;
      closeStdin();
    }
  }

  private void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public boolean pending() {
    return !queue.isEmpty() || writing;
  }

  @Override
  public void resize(int cols, int rows) {
    // A pipe has no size.
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
    if (writer == null) closeStdin();
    else writer.interrupt();
  }
}
