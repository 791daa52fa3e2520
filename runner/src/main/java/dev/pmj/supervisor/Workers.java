package dev.pmj.supervisor;

import dev.pmj.os.ProcessControl;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the supervisor runs on: what runs the mailboxes, the timers, the output readers and
 * the probes, and how they all stop. {@link #threads} makes the real ones; a test passes its own
 * thread, a manual clock and fake pipes instead.
 *
 * @param close stops them all (the supervisor closes)
 */
record Workers(
    java.util.concurrent.Executor pool,
    Timers timers,
    OutputReader.Source output,
    ReadinessCheck probes,
    Runnable close) {

  /** The real threads, named {@code pmj-worker-N}, {@code pmj-probe-N}, {@code pmj-timer-N}. */
  static Workers threads(ProcessControl control, Thread.UncaughtExceptionHandler onError) {
    // A few threads run every process's messages (a message never waits for another): a thread
    // per process would cost its stack for nothing.
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            named("pmj-worker"));
    pool.allowCoreThreadTimeOut(true);
    ExecutorService probePool = Executors.newCachedThreadPool(named("pmj-probe"));
    ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(2, named("pmj-timer"));
    timerPool.setRemoveOnCancelPolicy(true);
    OutputPoller poller = new OutputPoller(onError);
    Timers timers =
        (delay, task) -> {
          var f = timerPool.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        };
    return new Workers(
        pool,
        timers,
        OutputReader.pipes(poller),
        new Probes(control, probePool),
        () -> {
          // The poller first: what it reads meanwhile may still ask a timer to flush a partial
          // line.
          poller.close();
          pool.shutdownNow();
          probePool.shutdownNow();
          timerPool.shutdownNow();
        });
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
