package dev.pmj.supervisor;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One consumer's queue and thread: items offered by producers are handed to {@link Sink#accept} on
 * the feed's own thread ({@code pmj-NAME}), in order, so a slow consumer never delays another. A
 * lossless feed makes the producer wait when its queue is full; a dropping feed ends instead (its
 * consumer is told, and reconnects if it wants more).
 */
final class Feed<T> {
  /** What consumes a feed, on the feed's thread. */
  interface Sink<T> {
    void accept(T item);

    /** The queue ran empty after one or more items: a moment to flush. */
    default void idle() {}

    /** The feed ended: closed by its owner, or dropped for being too slow. */
    default void ended(boolean dropped) {}
  }

  private static final Object END = new Object();

  private final Sink<T> sink;
  private final boolean lossless;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean dropped;
  private volatile boolean closed;

  Feed(String name, Sink<T> sink, boolean lossless, int capacity) {
    this.sink = sink;
    this.lossless = lossless;
    this.queue = new ArrayBlockingQueue<>(Math.max(2, capacity));
    this.thread = new Thread(this::deliver, "pmj-" + name);
    this.thread.setDaemon(true);
  }

  /** Queues the first item (a snapshot, a backlog) and starts delivering. */
  void start(T first) {
    if (first != null) queue.add(first);
    thread.start();
  }

  void start() {
    start(null);
  }

  /**
   * Offers an item; a lossless feed waits for room, a dropping one ends when full. Returns false
   * when the feed takes no more items (ended or dropped).
   */
  boolean offer(T item) {
    if (dropped || closed) return false;
    if (!lossless) {
      if (!queue.offer(item)) {
        dropped = true;
        queue.clear();
        queue.offer(END);
        return false;
      }
      return true;
    }
    try {
      queue.put(item);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean dropped() {
    return dropped;
  }

  /** Drops the feed now, as if it had fallen behind: its consumer is told. */
  void drop() {
    if (dropped || closed) return;
    dropped = true;
    queue.clear();
    queue.offer(END);
  }

  private void deliver() {
    try {
      while (true) {
        Object next = queue.take();
        while (next != null) {
          if (next == END) {
            idle();
            return;
          }
          try {
            @SuppressWarnings("unchecked")
            T item = (T) next;
            sink.accept(item);
          } catch (RuntimeException e) {
            // A consumer's bug must not stop the feed for the others.
          }
          next = queue.poll();
        }
        idle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        sink.ended(dropped);
      } catch (RuntimeException e) {
        // nothing more to tell
      }
      finished.countDown();
    }
  }

  private void idle() {
    try {
      sink.idle();
    } catch (RuntimeException e) {
      // A consumer's bug must not stop the feed for the others.
    }
  }

  /** Ends after every item offered so far is delivered; waits up to {@code millis} for that. */
  boolean closeAndDrain(long millis) {
    if (!closed && !dropped) {
      closed = true;
      try {
        if (!queue.offer(END, millis, TimeUnit.MILLISECONDS)) thread.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    if (Thread.currentThread() == thread) return true;
    try {
      return finished.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Ends now, dropping what is queued; does not wait. */
  void cancel() {
    closed = true;
    queue.clear();
    queue.offer(END);
  }
}
