package dev.pmj.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One open Server-Sent Events response. The thread of the subscription that feeds it writes; a
 * heartbeat comment every few seconds finds clients that vanished (a write to a closed connection
 * fails only on the second write after it closed). Any failed write ends the stream and its
 * subscription.
 */
final class Sse {
  private static final byte[] HEARTBEAT = ": hb\n\n".getBytes(StandardCharsets.US_ASCII);

  private final HttpExchange ex;
  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final Consumer<Sse> onEnd;
  private volatile AutoCloseable subscription;
  private volatile boolean closed;

  Sse(HttpExchange ex, Consumer<Sse> onEnd) {
    this.ex = ex;
    this.out = ex.getResponseBody();
    this.onEnd = onEnd;
  }

  /** What to close when the stream ends (its subscription). */
  void onClose(AutoCloseable subscription) {
    this.subscription = subscription;
    if (closed) closeSubscription();
  }

  void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8), true);
  }

  private void write(byte[] bytes, boolean wait) {
    if (closed) return;
    if (wait) {
      lock.lock();
    } else if (!lock.tryLock()) {
      return; // a writer is busy (or blocked on a slow client): no heartbeat needed now
    }
    try {
      if (closed) return;
      out.write(bytes);
      if (!wait) out.flush();
    } catch (IOException e) {
      closeLater();
    } finally {
      lock.unlock();
    }
  }

  void flush() {
    if (closed) return;
    lock.lock();
    try {
      if (!closed) out.flush();
    } catch (IOException e) {
      closeLater();
    } finally {
      lock.unlock();
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean beating =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Writes a heartbeat comment on {@code pool}, unless one is still under way: a client that does
   * not read can block a write, and then only that write's thread waits.
   */
  void heartbeat(java.util.concurrent.Executor pool) {
    if (closed || !beating.compareAndSet(false, true)) return;
    pool.execute(
        () -> {
          try {
            write(HEARTBEAT, false);
          } finally {
            beating.set(false);
          }
        });
  }

  private void closeLater() {
    close(); // the connection is gone: closing it does not wait for the client
  }

  /** Ends the stream and its subscription; safe to call more than once, from any thread. */
  void close() {
    if (closed) return;
    closed = true;
    onEnd.accept(this);
    closeSubscription();
    ex.close();
  }

  private void closeSubscription() {
    AutoCloseable s = subscription;
    if (s == null) return;
    try {
      s.close();
    } catch (Exception e) {
      // ended already
    }
  }
}
