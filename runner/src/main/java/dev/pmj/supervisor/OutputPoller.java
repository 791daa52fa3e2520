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
 * starts with its first pipe. Each round reads at most one buffer from each pipe that has bytes, so
 * a chatty process never holds the others back.
 *
 * <p>What a thread reads is published at once; when a lossless subscriber (the terminal, log files)
 * is behind, publishing waits, and so does every process's output, as it would with a thread per
 * process, since they all go to the same subscribers.
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

  /** Reads {@code channel} from now on, until its end, for {@code reader}. */
  void add(Pipe.SourceChannel channel, OutputReader reader) throws IOException {
    Loop loop;
    synchronized (this) {
      if (closed) throw new ClosedSelectorException();
      int i = next++ % loops.length;
      if (loops[i] == null) loops[i] = new Loop(i + 1);
      loop = loops[i];
    }
    // Last: a pipe this refuses stays blocking, for a thread of its own to read.
    channel.configureBlocking(false);
    loop.pending.add(new Registration(channel, reader));
    loop.selector.wakeup();
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

  private final class Loop {
    final Selector selector;
    final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
    final byte[] buffer = new byte[64 * 1024];
    volatile boolean closed;

    Loop(int n) throws IOException {
      selector = Selector.open();
      Thread t = new Thread(null, this::run, "pmj-out-" + n, 256 * 1024);
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
              // Not one pipe's trouble must stop the others'.
              onError.uncaughtException(Thread.currentThread(), e);
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
      } finally {
        try {
          for (SelectionKey key : selector.keys()) close(key.channel());
          selector.close();
        } catch (IOException | ClosedSelectorException e) {
          // closing anyway
        }
        Registration r;
        while ((r = pending.poll()) != null) close(r.channel);
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
      } catch (RuntimeException e) {
        // One reader's failure must not stop every process's output.
        onError.uncaughtException(Thread.currentThread(), e);
      }
      key.cancel();
      close(channel);
      end(reader);
    }

    private void end(OutputReader reader) {
      try {
        reader.end();
      } catch (RuntimeException e) {
        onError.uncaughtException(Thread.currentThread(), e);
      }
    }
  }

  private static void close(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
