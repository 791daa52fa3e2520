package dev.pmj.supervisor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs messages one at a time, in order, on threads of a shared pool: each process's state is
 * touched by one message at a time, so policy code needs no locks.
 */
final class Mailbox implements Executor {
  private final Executor pool;
  private final Queue<Runnable> messages = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Thread.UncaughtExceptionHandler onError;

  Mailbox(Executor pool, Thread.UncaughtExceptionHandler onError) {
    this.pool = pool;
    this.onError = onError;
  }

  @Override
  public void execute(Runnable message) {
    messages.add(message);
    if (scheduled.compareAndSet(false, true)) pool.execute(this::drain);
  }

  private void drain() {
    Runnable m;
    while ((m = messages.poll()) != null) {
      try {
        m.run();
      } catch (RuntimeException | Error e) {
        onError.uncaughtException(Thread.currentThread(), e);
      }
    }
    scheduled.set(false);
    if (!messages.isEmpty() && scheduled.compareAndSet(false, true)) pool.execute(this::drain);
  }
}
