package dev.pmj.supervisor;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one stream of events. Each subscriber has its own queue and thread, so a slow view never
 * delays another. Delivery policy:
 *
 * <ul>
 *   <li>{@link Delivery#LOSSLESS} (terminal, files, tests): when its queue is full, publishing
 *       waits. Backpressure reaches the processes through their pipes; no line is lost.
 *   <li>{@link Delivery#DROP_WHEN_SLOW} (remote clients): when its queue is full, the subscriber is
 *       dropped, not waited for.
 * </ul>
 *
 * A new subscriber first receives a {@link ProcessEvent.Snapshot}, taken under the same lock as
 * publishing, then every later event: it never misses a transition.
 */
public final class EventStream {
  public enum Delivery {
    LOSSLESS,
    DROP_WHEN_SLOW
  }

  /** Receives events on the subscription's own thread, in publishing order. */
  public interface Subscriber {
    void onEvent(ProcessEvent event);

    /** Called when the queue is empty after one or more events: a moment to flush. */
    default void onIdle() {}
  }

  private static final Object END = new Object();

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private volatile Supplier<ProcessEvent.Snapshot> snapshots =
      () -> new ProcessEvent.Snapshot(List.of());

  /** Sets where snapshots for new subscribers come from (the supervisor). */
  public void snapshotSource(Supplier<ProcessEvent.Snapshot> source) {
    this.snapshots = source;
  }

  public Subscription subscribe(
      String name, Subscriber subscriber, Delivery delivery, int capacity) {
    lock.lock();
    try {
      Subscription s = new Subscription(name, subscriber, delivery, capacity);
      s.queue.add(snapshots.get());
      subscriptions.add(s);
      s.thread.start();
      return s;
    } finally {
      lock.unlock();
    }
  }

  public void publish(ProcessEvent event) {
    lock.lock();
    try {
      for (Subscription s : subscriptions) s.offer(event);
    } finally {
      lock.unlock();
    }
  }

  /** One subscriber's queue and thread. */
  public final class Subscription implements AutoCloseable {
    private final Subscriber subscriber;
    private final Delivery delivery;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean dropped;

    private Subscription(String name, Subscriber subscriber, Delivery delivery, int capacity) {
      this.subscriber = subscriber;
      this.delivery = delivery;
      this.queue = new ArrayBlockingQueue<>(Math.max(2, capacity));
      this.thread = new Thread(this::deliver, "pmj-sub-" + name);
      this.thread.setDaemon(true);
    }

    private void offer(ProcessEvent event) {
      if (dropped) return;
      if (delivery == Delivery.DROP_WHEN_SLOW) {
        if (!queue.offer(event)) {
          dropped = true;
          subscriptions.remove(this);
          queue.clear();
          queue.offer(END);
        }
        return;
      }
      try {
        queue.put(event);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
              subscriber.onEvent((ProcessEvent) next);
            } catch (RuntimeException e) {
              // A view's bug must not stop the stream for the others.
            }
            next = queue.poll();
          }
          idle();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        finished.countDown();
      }
    }

    private void idle() {
      try {
        subscriber.onIdle();
      } catch (RuntimeException e) {
        // A view's bug must not stop the stream for the others.
      }
    }

    /** Whether this subscriber was dropped for being too slow. */
    public boolean dropped() {
      return dropped;
    }

    /** Stops after every event published so far is delivered (waits up to {@code millis}). */
    public boolean closeAndDrain(long millis) {
      subscriptions.remove(this);
      if (!dropped) {
        try {
          if (!queue.offer(END, millis, TimeUnit.MILLISECONDS)) thread.interrupt();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        return finished.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void close() {
      closeAndDrain(2000);
    }
  }
}
