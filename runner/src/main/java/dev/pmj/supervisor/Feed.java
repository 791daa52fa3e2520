package dev.pmj.supervisor;

import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer's queue and thread: items offered by producers are handed to {@link Sink#accept} on
 * the feed's own thread ({@code pmj-NAME}), in order, so a slow consumer never delays another.
 *
 * <p>Offering never waits. A lossless feed takes every item, and a producer then waits for room
 * apart, in {@link #awaitRoom()}, after it let go of whatever it holds: a producer that waited
 * inside a lock would stop a consumer that publishes too (a log file's "cannot write" notice) and
 * so everything. A dropping feed ends instead when full (its consumer is told, and reconnects if it
 * wants more).
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

  /** A feed's delivery thread, known as such by {@link #awaitRoom()}. */
  private static final class DeliveryThread extends Thread {
    DeliveryThread(Runnable run, String name) {
      super(run, name);
    }
  }

  private static final Object END = new Object();

  private final Sink<T> sink;
  private final boolean lossless;
  private final int capacity;
  private final ArrayDeque<Object> queue;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final Thread thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean dropped;
  private volatile boolean closed;
  private volatile boolean deliveryEnded;

  /** An error of the sink was reported (confined to the delivery thread). */
  private boolean reported;

  Feed(String name, Sink<T> sink, boolean lossless, int capacity) {
    this.sink = sink;
    this.lossless = lossless;
    this.capacity = Math.max(2, capacity);
    this.queue = new ArrayDeque<>(Math.min(this.capacity, 1024) + 1);
    this.thread = new DeliveryThread(this::deliver, "pmj-" + name);
    this.thread.setDaemon(true);
  }

  /** Queues the first item (a snapshot, a backlog) and starts delivering. */
  void start(T first) {
    if (first != null) put(first);
    thread.start();
  }

  void start() {
    start(null);
  }

  /** What became of an offered item. */
  enum Offered {
    /** Queued. */
    TAKEN,
    /** Queued, and the queue is over capacity: the producer should {@link #awaitRoom()}. */
    TAKEN_OVER_CAPACITY,
    /** Not queued: the feed ended or was dropped (a dropping feed that was full is now). */
    REFUSED
  }

  /**
   * Queues an item without waiting. A lossless feed takes it even when full (the producer then
   * calls {@link #awaitRoom()} once it holds no lock); a dropping one ends instead.
   */
  Offered offer(T item) {
    if (dropped || closed) return Offered.REFUSED;
    lock.lock();
    try {
      if (!lossless && queue.size() >= capacity) {
        drop();
        return Offered.REFUSED;
      }
      queue.addLast(item);
      int size = queue.size();
      if (size == 1) notEmpty.signal();
      return size > capacity ? Offered.TAKEN_OVER_CAPACITY : Offered.TAKEN;
    } finally {
      lock.unlock();
    }
  }

  private void put(Object item) {
    lock.lock();
    try {
      queue.addLast(item);
      if (queue.size() == 1) notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits while more than the capacity of items wait, unless the feed ended: the backpressure that
   * reaches the processes through their pipes. A feed's own delivery thread (any feed's) never
   * waits: it would wait for itself, or for a feed whose thread waits for it; what consumers
   * publish is a few lines (notices), so their feeds may go that far over capacity.
   */
  void awaitRoom() {
    if (Thread.currentThread() instanceof DeliveryThread) return;
    lock.lock();
    try {
      while (queue.size() > capacity && !deliveryEnded) room.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  boolean dropped() {
    return dropped;
  }

  /** Drops the feed now, as if it had fallen behind: its consumer is told. */
  void drop() {
    if (dropped || closed) return;
    dropped = true;
    endNow();
  }

  /** Clears the queue and puts the end in it; producers waiting for room go on. */
  private void endNow() {
    lock.lock();
    try {
      queue.clear();
      queue.addLast(END);
      notEmpty.signal();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting for one. */
  private Object take() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) notEmpty.await();
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** The next item, or null when none waits. */
  private Object poll() {
    lock.lock();
    try {
      return queue.isEmpty() ? null : removeFirst();
    } finally {
      lock.unlock();
    }
  }

  private Object removeFirst() {
    Object next = queue.removeFirst();
    // Producers wait while the queue is over capacity: wake them as it comes back to it.
    if (queue.size() == capacity) room.signalAll();
    return next;
  }

  private void deliver() {
    try {
      while (true) {
        Object next = take();
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
            // A consumer's bug must not stop the feed for the others; it is said, not lost.
            report(e);
          }
          next = poll();
        }
        idle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.lock();
      try {
        deliveryEnded = true;
        room.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        sink.ended(dropped);
      } catch (RuntimeException e) {
        report(e);
      }
      finished.countDown();
    }
  }

  private void idle() {
    try {
      sink.idle();
    } catch (RuntimeException e) {
      // A consumer's bug must not stop the feed for the others; it is said, not lost.
      report(e);
    }
  }

  /**
   * A consumer's bug, on pmj's stderr (not on the stream, which this very consumer may be failing
   * to take): the first one of the feed, so that one that fails on every item does not flood it.
   */
  private void report(RuntimeException e) {
    if (reported) return;
    reported = true;
    System.err.println(
        "pmj: internal error in "
            + thread.getName()
            + ": "
            + e
            + " (please report it; further errors of it are not shown)");
  }

  /** Ends after every item offered so far is delivered; waits up to {@code millis} for that. */
  boolean closeAndDrain(long millis) {
    if (!closed && !dropped) {
      closed = true;
      put(END);
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
    endNow();
  }
}
