package dev.pmj.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads requests run on, and the watch that times each part of a request: each request runs
 * on a thread of its own (the JDK's server reads the request line and headers on that thread, so a
 * shared thread would let one silent client hold every request behind it); its line and headers
 * must arrive within {@link Limits#headers} of its first byte and its body within {@link
 * Limits#body} more, or its thread is interrupted, which closes the connection. Threads end after
 * 30 s without work, so an idle pmj keeps none.
 */
final class RequestThreads implements AutoCloseable {
  /** What handles a request once its headers are in, under the watch of its body. */
  interface Handler {
    void handle(HttpExchange ex, Watch watch) throws IOException;
  }

  /** The phase a request thread is in, for the watch that ends it when it takes too long. */
  private static final ThreadLocal<Watch> WATCH = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  private final Limits limits;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

  RequestThreads(ScheduledExecutorService timer, Limits limits) {
    this.timer = timer;
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    // No queue: a request that waited behind a client that sends nothing would wait as long as it.
    // The JDK's server has at most MAX connections, each with at most one request being read, so
    // the pool never refuses one; should it, the JDK's server closes that connection.
    this.pool =
        new ThreadPoolExecutor(
            0,
            Connections.MAX + 8,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "pmj-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs one request of the JDK's server (which reads its line and headers first) on a thread of
   * its own, under a watch of its headers.
   */
  void execute(Runnable exchange) {
    pool.execute(
        () -> {
          Watch w = new Watch(Thread.currentThread(), timer);
          WATCH.set(w);
          w.arm(limits.headers());
          watches.add(w);
          try {
            exchange.run();
          } finally {
            watches.remove(w);
            w.disarm();
            WATCH.remove();
            Thread.interrupted(); // a late interrupt must not reach the next request
          }
        });
  }

  /** The server's handler: ends the watch of the headers and times the body for {@code next}. */
  HttpHandler timed(Handler next) {
    return ex -> {
      Watch watch = WATCH.get();
      // The headers are in: their watch ends here (or ended the connection already).
      if (watch != null && !watch.disarm()) throw new IOException("headers too slow");
      // A body's time starts now. It is read before anything is done, or, for a request refused
      // first, by the JDK's server after the answer (it reads what is left before the next
      // request): either way under this watch, or a client that stalls in it would hold its
      // connection and thread for ever.
      boolean bodyWatched = watch != null && Request.declaresBody(ex);
      if (bodyWatched) watch.arm(limits.body());
      try {
        next.handle(ex, watch);
      } finally {
        if (bodyWatched) watch.disarm();
      }
    };
  }

  /** Ends the requests whose line, headers or body have been read for {@code grace} or more. */
  void shed(Duration grace) {
    long nanos = grace.toNanos();
    for (Watch w : watches) w.shed(nanos);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /**
   * Interrupts a thread still reading a part of a request after its time: the thread is blocked
   * reading a socket channel, and an interrupt closes the channel, which ends the read and the
   * connection.
   */
  static final class Watch {
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> pending;
    private long armedAt;
    private int armed;
    private boolean fired;

    Watch(Thread thread, ScheduledExecutorService timer) {
      this.thread = thread;
      this.timer = timer;
    }

    synchronized void arm(Duration limit) {
      int generation = ++armed;
      armedAt = System.nanoTime();
      try {
        pending = timer.schedule(() -> fire(generation), limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending = null; // the server is closing, and with it every connection
      }
    }

    private synchronized void fire(int generation) {
      if (generation != armed || pending == null) return;
      pending = null;
      fired = true;
      thread.interrupt();
    }

    /**
     * Ends the connection now if the part being read has lasted {@code grace} or more (a request
     * being answered is not watched, and never ended here).
     */
    synchronized void shed(long graceNanos) {
      if (pending == null || System.nanoTime() - armedAt < graceNanos) return;
      pending.cancel(false);
      fire(armed);
    }

    /** Ends the watch of this part; false when its time ran out (the connection is closed). */
    synchronized boolean disarm() {
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
      return !fired;
    }
  }
}
