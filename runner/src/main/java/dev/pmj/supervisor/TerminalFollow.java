package dev.pmj.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One follower of a process's terminal ({@link Control#followTerminal}): the raw bytes (written on
 * the output reader's thread, which must never wait) and the process's state changes (on an event
 * subscription's thread) meet in one queue, delivered in order on a thread of its own. A follower
 * that lets more than {@link #MAX_QUEUED} bytes pile up is dropped rather than holding memory.
 */
final class TerminalFollow implements AutoCloseable {
  static final int MAX_QUEUED = 1 << 20;

  private record End(boolean dropped) {}

  private record Started(long pid) {}

  private final String id;
  private final Control.TerminalFollower follower;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean dropping;
  private AutoCloseable bytes;
  private EventStream.Subscription events;

  /** Whether a run was going on at the last state seen (null: none seen yet). */
  private Boolean running;

  private TerminalFollow(String id, Control.TerminalFollower follower) {
    this.id = id;
    this.follower = follower;
    this.thread = new Thread(this::deliver, "pmj-terminal-" + id);
    this.thread.setDaemon(true);
  }

  static TerminalFollow start(Supervisor supervisor, String id, Control.TerminalFollower f) {
    TerminalFollow t = new TerminalFollow(id, f);
    t.bytes =
        supervisor.followTerminal(
            id,
            new TerminalRing.Follower() {
              @Override
              public void bytes(byte[] chunk) {
                t.offer(chunk);
              }

              @Override
              public void started(long pid) {
                t.queue.add(new Started(pid));
              }
            });
    t.events =
        supervisor
            .events()
            .subscribe(
                "terminal-" + id,
                new EventStream.Subscriber() {
                  @Override
                  public void onEvent(ProcessEvent e) {
                    t.event(e);
                  }

                  @Override
                  public void onEnd(boolean dropped) {
                    if (dropped) t.queue.add(new End(true));
                  }
                },
                EventStream.Delivery.DROP_WHEN_SLOW,
                LocalControl.REMOTE_QUEUE,
                false);
    t.thread.start();
    return t;
  }

  private void offer(byte[] chunk) {
    if (chunk.length == 0 || closed || dropping) return;
    if (queuedBytes.addAndGet(chunk.length) > MAX_QUEUED) {
      // What is queued is not worth delivering any more: the follower ends now.
      dropping = true;
      queue.clear();
      queue.add(new End(true));
      return;
    }
    queue.add(chunk);
  }

  private void event(ProcessEvent e) {
    if (e instanceof ProcessEvent.Snapshot s) {
      for (ProcessStatus p : s.processes()) if (p.id().equals(id)) queue.add(p);
    } else if (e instanceof ProcessEvent.StateChanged c && c.id().equals(id)) {
      queue.add(c.status());
    } else if (e instanceof ProcessEvent.Removed r && r.id().equals(id)) {
      queue.add(new End(false));
    }
  }

  private void deliver() {
    boolean dropped = false;
    try {
      while (!closed) {
        Object item = queue.take();
        if (item instanceof End end) {
          dropped = end.dropped();
          break;
        }
        if (item instanceof byte[] first) {
          output(first);
        } else if (item instanceof Started s) {
          follower.restarted(s.pid());
        } else {
          state((ProcessStatus) item);
        }
        if (queue.isEmpty()) follower.idle();
      }
    } catch (InterruptedException e) {
      // closed
    } finally {
      close();
      follower.ended(dropped);
    }
  }

  /** Bytes, joined with those queued right after them (up to 64 KiB a call). */
  private void output(byte[] first) {
    List<byte[]> parts = new ArrayList<>(List.of(first));
    int total = first.length;
    while (total < TerminalRing.SIZE && queue.peek() instanceof byte[] next) {
      queue.poll();
      parts.add(next);
      total += next.length;
    }
    queuedBytes.addAndGet(-total);
    byte[] all = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    follower.output(all);
  }

  /**
   * A run's end, from the process's states. Its start comes from the terminal itself ({@link
   * Started}), ahead of the new terminal's bytes, which the states would not be.
   */
  private void state(ProcessStatus s) {
    // On the way to a run: neither its end nor its start yet.
    if (s.state() == ProcessState.PENDING || s.state() == ProcessState.STARTING) return;
    boolean now = s.state().hasProcess();
    if (!now && !Boolean.FALSE.equals(running)) {
      // A run that ends with a restart coming is said as the backoff it is in (a follower leaves
      // on a final exit, and stays for a restart).
      boolean restarts = s.state() == ProcessState.EXITED && s.willRestart();
      follower.exited(restarts ? ProcessState.BACKOFF : s.state(), s.exitCode());
    }
    running = now;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      bytes.close();
    } catch (Exception e) {
      // unfollowing a ring does not fail
    }
    events.cancel();
    if (Thread.currentThread() != thread) thread.interrupt();
  }
}
