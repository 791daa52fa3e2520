package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipes of pmj's own for a child's output, so that one thread can wait on every child's output (a
 * {@link java.nio.channels.Selector}) instead of a thread per child blocked in a read: a process's
 * own pipe ({@link Process#getInputStream()}) cannot be polled, and a thread costs about 60 KB of
 * memory per process.
 *
 * <p>The child gets the pipe's write end as a file the JDK can open: {@code /proc/self/fd/N}. Java
 * does not say which N a pipe has; the JDK's channels do ({@code sun.nio.ch.SelChImpl.getFDVal}),
 * when that package is exported to pmj (the jar's manifest does it for {@code java -jar}). Where
 * either is missing (not Linux, or not exported), {@link #open()} answers null and children's
 * output is read by a thread each, as everywhere else.
 */
final class PollablePipes {
  private static final Method FD_VAL = fdVal();

  /**
   * From this many pipes on, they are marked close-on-exec, so that later children do not start
   * with them ({@link CloseOnExec}). Its first use costs about 60 ms, which the start of a small
   * project would feel and which a few pipes are not worth.
   */
  static final int MARK_FROM = 32;

  private static final AtomicInteger opened = new AtomicInteger();

  /**
   * Whether pipes can be marked, found out beside the starts once {@link #MARK_FROM} is reached.
   */
  private static volatile CompletableFuture<Boolean> marking;

  private PollablePipes() {}

  /** A new pipe, or null when pipes cannot be handed to children here. */
  static Pipe open() throws IOException {
    if (FD_VAL == null) return null;
    Pipe pipe = Pipe.open();
    if (opened.incrementAndGet() >= MARK_FROM && canMark()) {
      CloseOnExec.mark(fd(pipe.source()));
      // The child opens the write end anew by its name: this descriptor is pmj's alone too.
      CloseOnExec.mark(fd(pipe.sink()));
    }
    return pipe;
  }

  /** Whether pipes are marked now; the first call looks beside the caller, who goes on. */
  private static boolean canMark() {
    CompletableFuture<Boolean> m = marking;
    if (m == null) {
      synchronized (PollablePipes.class) {
        if (marking == null) marking = OwnThread.supply("pmj-cloexec", CloseOnExec::available);
        m = marking;
      }
    }
    return m.getNow(false);
  }

  private static int fd(java.nio.channels.Channel channel) {
    try {
      return (Integer) FD_VAL.invoke(channel);
    } catch (ReflectiveOperationException e) {
      return -1;
    }
  }

  /** The write end of {@code pipe}, to redirect a child's output to. */
  static File writeEnd(Pipe pipe) {
    try {
      return new File("/proc/self/fd/" + FD_VAL.invoke(pipe.sink()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("checked when pmj started", e);
    }
  }

  private static Method fdVal() {
    if (!Files.isDirectory(Path.of("/proc/self/fd"))) return null;
    try {
      Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
      Pipe p = Pipe.open();
      try {
        Object fd = m.invoke(p.sink());
        if (!(fd instanceof Integer n) || n < 0) return null;
        // Opened for writing as the JDK will for each child, and read back at the other end.
        try (java.io.FileOutputStream out = new java.io.FileOutputStream("/proc/self/fd/" + n)) {
          out.write('x');
        }
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        if (p.source().read(one) != 1 || one.get(0) != 'x') return null;
      } finally {
        p.sink().close();
        p.source().close();
      }
      return m;
    } catch (ReflectiveOperationException | RuntimeException | IOException e) {
      return null;
    }
  }
}
