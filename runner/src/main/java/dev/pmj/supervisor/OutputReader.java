package dev.pmj.supervisor;

import dev.pmj.os.Child;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns one process's output into whole lines and publishes them. The pipe is read by the {@link
 * OutputPoller} where it can be polled, else by a thread of its own ({@code pmj-out-ID}) (see
 * {@link #pipes}). Bytes that end without a newline are published after {@link #PARTIAL_DELAY} of
 * quiet.
 */
final class OutputReader {
  static final Duration PARTIAL_DELAY = Duration.ofMillis(150);

  /** Lines longer than this are published in pieces of this size, never dropped. */
  static final int MAX_LINE = 4 << 20;

  private final EventStream events;
  private final Clock clock;
  private final Timers timers;
  private final Consumer<ProcessEvent.OutputLines> tap;
  private final LineSplitter splitter;

  /** A terminal's output: its raw bytes go here too, and its lines are folded; else null. */
  private final TerminalRing ring;

  private final ReentrantLock lock = new ReentrantLock();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile long lastReadNanos;
  private boolean flushScheduled;

  /**
   * Where a child's output is read: it hands the bytes to {@link #read} and the end to {@link
   * #end}, on whatever thread it reads them.
   */
  interface Source {
    void follow(String id, Child child, OutputReader reader);
  }

  /**
   * The real pipes: read by {@code poller} where they can be polled, else by a thread of their own.
   */
  static Source pipes(OutputPoller poller) {
    return (id, child, reader) -> {
      if (child.channel() != null) {
        try {
          poller.add(child.channel(), reader);
          return;
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
          // pmj is stopping, or no selector could be had: the thread below reads it
        }
      }
      InputStream in = child.output();
      // A small stack: the reader only reads and hands lines on (one thread per process).
      Thread t = new Thread(null, () -> reader.run(in), "pmj-out-" + id, 256 * 1024);
      t.setDaemon(true);
      t.start();
    };
  }

  /**
   * @param tap sees every batch of lines after it is published (readiness by log line)
   */
  OutputReader(
      String id,
      Child child,
      Source source,
      EventStream events,
      Clock clock,
      Timers timers,
      Consumer<ProcessEvent.OutputLines> tap) {
    this(id, child, source, events, clock, timers, tap, null);
  }

  /**
   * @param ring where a terminal's raw bytes are kept, when {@code child} runs in one (its lines
   *     are then folded, {@link TerminalText}); null for a pipe
   */
  OutputReader(
      String id,
      Child child,
      Source source,
      EventStream events,
      Clock clock,
      Timers timers,
      Consumer<ProcessEvent.OutputLines> tap,
      TerminalRing ring) {
    this.ring = ring;
    this.events = events;
    this.clock = clock;
    this.timers = timers;
    this.tap = tap;
    this.splitter = new LineSplitter(id, MAX_LINE);
    source.follow(id, child, this);
  }

  /** Completes when the pipe reached its end (every writer of it is gone) and all is published. */
  CompletableFuture<Void> done() {
    return done;
  }

  private void run(InputStream in) {
    // Small while the process is quiet (most are: a hundred idle processes cost a hundred
    // buffers), as large as the pipe once a read fills it.
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        read(buf, n);
        if (n == buf.length && buf.length < 65536) buf = new byte[buf.length * 4];
      }
    } catch (IOException e) {
      // The pipe was closed under us: the process is gone.
    } finally {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do
      }
      end();
    }
  }

  /** The next {@code n} bytes of the output, in {@code buf} (copied before this returns). */
  void read(byte[] buf, int n) {
    lastReadNanos = System.nanoTime();
    if (ring != null) ring.write(buf, n);
    lock.lock();
    try {
      publish(splitter.feed(buf, 0, n, clock.instant()));
      if (splitter.hasPartial() && !flushScheduled) {
        flushScheduled = true;
        timers.schedule(PARTIAL_DELAY, this::flushIfQuiet);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The pipe reached its end (every writer of it is gone, or it was closed). */
  void end() {
    lock.lock();
    try {
      publish(splitter.flushPartial(clock.instant()));
    } finally {
      lock.unlock();
    }
    done.complete(null);
  }

  /** Runs on a timer thread: never waits for the reader, which may be blocked by backpressure. */
  private void flushIfQuiet() {
    if (!lock.tryLock()) {
      timers.schedule(PARTIAL_DELAY, this::flushIfQuiet);
      return;
    }
    try {
      long quiet = System.nanoTime() - lastReadNanos;
      if (quiet < PARTIAL_DELAY.toNanos() && splitter.hasPartial()) {
        timers.schedule(PARTIAL_DELAY.minusNanos(quiet), this::flushIfQuiet);
        return;
      }
      flushScheduled = false;
      publish(splitter.flushPartial(clock.instant()));
    } finally {
      lock.unlock();
    }
  }

  private void publish(ProcessEvent.OutputLines lines) {
    if (ring != null) lines = TerminalText.fold(lines);
    if (lines == null) return;
    events.publish(lines);
    tap.accept(lines);
  }
}
