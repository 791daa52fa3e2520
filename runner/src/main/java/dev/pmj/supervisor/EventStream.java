package dev.pmj.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one stream of events. Each subscriber has its own queue and thread, so a slow view never
 * delays another. Delivery policy:
 *
 * <ul>
 *   <li>{@link Delivery#LOSSLESS} (terminal, files, tests): when its queue is full, publishing
 *       waits (after queueing the event, holding no lock). Backpressure reaches the processes
 *       through their pipes; no line is lost.
 *   <li>{@link Delivery#DROP_WHEN_SLOW} (remote clients): when its queue is full, the subscriber is
 *       dropped, not waited for.
 * </ul>
 *
 * A new subscriber first receives a {@link ProcessEvent.Snapshot}, taken under the same lock as
 * publishing, then every later event: it never misses a transition. Every event is also recorded in
 * the {@link LogStore} under that lock, so the store's order (its {@code seq}) is the stream's.
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

    /** Called once when the subscription ended: closed, or dropped for being too slow. */
    default void onEnd(boolean dropped) {}

    /**
     * Whether this subscriber takes the output of {@code processId} (asked on the publishing
     * thread, for every batch): a subscriber that would drop it unread says no, and the batch is
     * never queued for it nor its thread woken.
     */
    default boolean wantsOutputOf(String processId) {
      return true;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final LogStore logs;
  private volatile Supplier<ProcessEvent.Snapshot> snapshots =
      () -> new ProcessEvent.Snapshot(List.of());

  public EventStream() {
    this(new LogStore());
  }

  public EventStream(LogStore logs) {
    this.logs = logs;
  }

  /** The recent lines of every process, in the order this stream published them. */
  public LogStore logs() {
    return logs;
  }

  /** Sets where snapshots for new subscribers come from (the supervisor). */
  public void snapshotSource(Supplier<ProcessEvent.Snapshot> source) {
    this.snapshots = source;
  }

  public Subscription subscribe(
      String name, Subscriber subscriber, Delivery delivery, int capacity) {
    return subscribe(name, subscriber, delivery, capacity, true);
  }

  /**
   * @param withOutput whether output lines are delivered too (views of state alone say false, so
   *     that heavy output never fills their queue)
   */
  public Subscription subscribe(
      String name, Subscriber subscriber, Delivery delivery, int capacity, boolean withOutput) {
    lock.lock();
    try {
      Subscription s = new Subscription(name, subscriber, delivery, capacity, withOutput);
      subscriptions.add(s);
      s.feed.start(snapshots.get());
      return s;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Publishes an event to every subscriber. The lock orders events (the same order for every
   * subscriber and the log store) and is never held while waiting: the event is queued for every
   * subscriber at once, and only then does the publisher wait for room where a lossless subscriber
   * is behind. A subscriber that publishes from its own thread never waits (see {@link
   * Feed#awaitRoom()}).
   */
  public void publish(ProcessEvent event) {
    Feed<ProcessEvent> behind = null;
    List<Feed<ProcessEvent>> moreBehind = null;
    lock.lock();
    try {
      logs.record(event);
      String outputOf = event instanceof ProcessEvent.OutputLines o ? o.id() : null;
      for (Subscription s : subscriptions) {
        if (outputOf != null && !(s.withOutput && s.subscriber.wantsOutputOf(outputOf))) continue;
        switch (s.feed.offer(event)) {
          case TAKEN:
            break;
          case TAKEN_OVER_CAPACITY:
            if (behind == null) {
              behind = s.feed;
            } else {
              if (moreBehind == null) moreBehind = new ArrayList<>(2);
              moreBehind.add(s.feed);
            }
            break;
          case REFUSED:
            if (s.feed.dropped()) subscriptions.remove(s);
            break;
        }
      }
    } finally {
      lock.unlock();
    }
    if (behind != null) behind.awaitRoom();
    if (moreBehind != null) for (Feed<ProcessEvent> f : moreBehind) f.awaitRoom();
  }

  /** One subscriber's queue and thread. */
  public final class Subscription implements AutoCloseable {
    private final Feed<ProcessEvent> feed;
    private final boolean withOutput;
    private final Subscriber subscriber;

    private Subscription(
        String name, Subscriber subscriber, Delivery delivery, int capacity, boolean withOutput) {
      this.withOutput = withOutput;
      this.subscriber = subscriber;
      this.feed =
          new Feed<>(
              "sub-" + name,
              new Feed.Sink<>() {
                @Override
                public void accept(ProcessEvent item) {
                  subscriber.onEvent(item);
                }

                @Override
                public void idle() {
                  subscriber.onIdle();
                }

                @Override
                public void ended(boolean dropped) {
                  subscriber.onEnd(dropped);
                }
              },
              delivery == Delivery.LOSSLESS,
              capacity);
    }

    /** Whether this subscriber was dropped for being too slow. */
    public boolean dropped() {
      return feed.dropped();
    }

    /** Stops after every event published so far is delivered (waits up to {@code millis}). */
    public boolean closeAndDrain(long millis) {
      subscriptions.remove(this);
      return feed.closeAndDrain(millis);
    }

    /** Stops now without delivering what is queued; does not wait. */
    public void cancel() {
      subscriptions.remove(this);
      feed.cancel();
    }

    @Override
    public void close() {
      closeAndDrain(2000);
    }
  }
}
