package dev.pmj.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A few threads ({@code pmj-out-N}, one per core) that read every pollable output pipe and hand
 * what they read to the pipe's {@link OutputReader}: a thread per process would cost its stack and
 * buffers for each of them (about 60 KB each). Pipes are dealt to the threads in turn; a thread
 * starts with its first pipe. Each round reads from each pipe that has bytes one buffer, or a few
 * while the pipe stays full, so a chatty process never holds the others back for long.
 *
 * <p>What a thread reads is published at once; when a lossless subscriber (the terminal, log files)
 * is behind, publishing waits, and so does every process's output, as it would with a thread per
 * process, since they all go to the same subscribers. A reader that fails (its readiness pattern
 * overflowing the stack, say) is reported and ended alone, as its own thread would have ended.
 */
final class OutputPoller implements AutoCloseable {
  private record Registration(Pipe.SourceChannel channel, OutputReader reader) {}

  private final Thread.UncaughtExceptionHandler onError;
  private final Loop[] loops;
  private int next;
  private boolean closed;

  OutputPoller(Thread.UncaughtExceptionHandler onError) {
    this.onError = onError;
    int n = java.lang.Runtime.getRuntime().availableProcessors();
    this.loops = new Loop[Math.max(1, Math.min(4, n))];
  }

  /**
   * Reads {@code channel} from now on, until its end, for {@code reader}.
   *
   * @throws ClosedSelectorException when the poller is closed: the channel is left blocking, for a
   *     thread of its own to read
   */
  void add(Pipe.SourceChannel channel, OutputReader reader) throws IOException {
    Loop loop;
    synchronized (this) {
      if (closed) throw new ClosedSelectorException();
      int i = Math.floorMod(next++, loops.length);
      if (loops[i] == null || loops[i].closed) loops[i] = new Loop(i + 1);
      loop = loops[i];
    }
    Registration r = new Registration(channel, reader);
    channel.configureBlocking(false);
    loop.pending.add(r);
    loop.selector.wakeup();
    // A loop that closed before it took the pipe never will: give it back.
    if (loop.closed && loop.pending.remove(r)) {
      channel.configureBlocking(true);
      throw new ClosedSelectorException();
    }
  }

  /** Stops reading; every pipe still open is closed. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      for (Loop loop : loops) {
        if (loop != null) {
          loop.closed = true;
          loop.selector.wakeup();
        }
      }
    }
  }

  private void report(Throwable e) {
    try {
      onError.uncaughtException(Thread.currentThread(), e);
    } catch (RuntimeException ignored) {
      // reporting failed too: nothing more to do
    }
  }

  private static void close(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private final class Loop {
    final Selector selector;
    final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
    final byte[] buffer = new byte[64 * 1024];
    volatile boolean closed;

    Loop(int n) throws IOException {
      selector = Selector.open();
      // Readiness patterns run on this thread: the JVM's usual stack (only what is used is
      // resident), not the small one a thread per process had.
      Thread t = new Thread(null, this::run, "pmj-out-" + n, 0);
      t.setDaemon(true);
      t.start();
    }

    private void run() {
      ByteBuffer bytes = ByteBuffer.wrap(buffer);
      try {
        while (!closed) {
          Registration r;
          while ((r = pending.poll()) != null) {
            try {
              r.channel.register(selector, SelectionKey.OP_READ, r.reader);
            } catch (ClosedChannelException e) {
              end(r.reader);
            } catch (RuntimeException e) {
              report(e);
              close(r.channel);
              end(r.reader);
            }
          }
          selector.select();
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            read(key, bytes);
          }
        }
      } catch (IOException | ClosedSelectorException e) {
        // closed
      } catch (Throwable e) {
        report(e);
      } finally {
        // Ended by close(), or by a failure of the selector itself: then every reader ends here
        // and the next pipe gets a new loop.
        boolean failed = !closed;
        closed = true;
        try {
          for (SelectionKey key : selector.keys()) {
            close(key.channel());
            if (failed) end((OutputReader) key.attachment());
          }
          selector.close();
        } catch (IOException | RuntimeException e) {
          // closing anyway
        }
        Registration r;
        while ((r = pending.poll()) != null) {
          close(r.channel);
          if (failed) end(r.reader);
        }
      }
    }

    private void read(SelectionKey key, ByteBuffer bytes) {
      Pipe.SourceChannel channel = (Pipe.SourceChannel) key.channel();
      OutputReader reader = (OutputReader) key.attachment();
      int n;
      try {
        // A full read means a full pipe and a writer waiting: read on while it stays so, a few
        // times, without asking the selector again.
        int rounds = 0;
        do {
          bytes.clear();
          n = channel.read(bytes);
          if (n > 0) reader.read(buffer, n);
        } while (n == buffer.length && ++rounds < 4);
        if (n >= 0) return;
      } catch (IOException e) {
        // closed under us: the process is gone
      } catch (Throwable e) {
        // This reader's failure (an error of its own thread, before) ends this reader alone.
        report(e);
      }
      key.cancel();
      close(channel);
      end(reader);
    }

    private void end(OutputReader reader) {
      try {
        reader.end();
      } catch (Throwable e) {
        report(e);
      }
    }
  }
}
