package dev.pmj.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.nativ.CLibrary;

/**
 * The pmj side (the master) of a child's pseudo-terminal: what is typed to the child goes in here,
 * and its size is set here. Its output is read from {@link Child#channel()}, which owns the
 * descriptor and closes it at the end of the output. The kernel's terminal does the rest: echo,
 * line editing, Ctrl-C as SIGINT.
 *
 * <p>A write to the master blocks once the child stops reading (about 4 KB wait in the kernel), so
 * input waits in a queue: what the terminal takes now is written on the caller's thread, the rest
 * by one thread shared by every terminal, a little later.
 */
final class PtyTerminal extends Terminal {
  private static final long RETRY_MS = 20;

  private static ScheduledExecutorService retries;

  private final int master;
  private final Pipe.SinkChannel in;

  /** The output's channel: once it is closed, the descriptor's number may be another file's. */
  private final Pipe.SourceChannel out;

  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private boolean closed;
  private boolean retrying;

  PtyTerminal(int master, Pipe.SinkChannel in, Pipe.SourceChannel out) {
    this.master = master;
    this.in = in;
    this.out = out;
  }

  @Override
  public void write(byte[] bytes) {
    synchronized (this) {
      if (closed || bytes.length == 0) return;
      queue.add(ByteBuffer.wrap(bytes.clone()));
      // A retry is due: it writes these too. Draining now would start a second retry loop.
      if (retrying) return;
    }
    drain();
  }

  private void drain() {
    synchronized (this) {
      retrying = false;
      try {
        while (!closed && out.isOpen() && !queue.isEmpty()) {
          ByteBuffer head = queue.peek();
          in.write(head);
          if (head.hasRemaining()) {
            retrying = true;
            retries().schedule(this::drain, RETRY_MS, TimeUnit.MILLISECONDS);
            return;
          }
          queue.poll();
        }
      } catch (IOException e) {
        // The terminal is gone (the child ended): nobody reads what is left.
        queue.clear();
      }
    }
  }

  @Override
  public synchronized boolean pending() {
    return !queue.isEmpty() || retrying;
  }

  @Override
  public void resize(int cols, int rows) {
    synchronized (this) {
      if (closed || !out.isOpen()) return;
      CLibrary.ioctl(master, CLibrary.TIOCSWINSZ, new CLibrary.WinSize((short) rows, (short) cols));
    }
  }

  /** The descriptor is closed with the output. */
  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  private static synchronized ScheduledExecutorService retries() {
    if (retries == null) {
      retries =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "pmj-terminal-input");
                t.setDaemon(true);
                return t;
              });
    }
    return retries;
  }
}
