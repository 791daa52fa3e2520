package dev.pmj.os;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import org.jline.nativ.CLibrary;
import org.jline.nativ.JLineLibrary;

/**
 * Opens pseudo-terminals with the native library jline already brings (no dependency of its own),
 * and wraps the master as pipe channels, so that the output poller reads it like any child's pipe
 * (no thread per terminal). The first open costs 31–67 ms (the library loads), later ones about 2
 * ms.
 *
 * <p>The slave is never opened by its name: without a controlling terminal (pmj up -d, a service)
 * it would become pmj's own, and the child could not take it.
 */
final class Ptys {
  /**
   * Set (to a reason) in tests only, to see what a user sees where no terminal can be had (a noexec
   * temporary folder, a platform without one): the system property in-process, the variable for a
   * pmj started by a test.
   */
  static final String FAIL_PROPERTY = "pmj.test.noTerminal";

  static final String FAIL_VARIABLE = "PMJ_TEST_NO_TERMINAL";

  private Ptys() {}

  /** A new terminal: master and slave descriptors. */
  record Pair(int master, int slave) {}

  /** Why no terminal can be had here; null when one can. */
  static String whyNot() {
    String forced = System.getProperty(FAIL_PROPERTY, System.getenv(FAIL_VARIABLE));
    if (forced != null && !forced.isEmpty()) return forced;
    if (!Platform.isLinux() && !Platform.isMac()) return "not supported on this system";
    return Channels.PROBLEM;
  }

  static Pair open(int cols, int rows) throws NoTerminalException {
    String why = whyNot();
    if (why != null) throw new NoTerminalException(why);
    int[] master = new int[1];
    int[] slave = new int[1];
    try {
      int rc =
          CLibrary.openpty(
              master, slave, null, null, new CLibrary.WinSize((short) rows, (short) cols));
      if (rc != 0) throw new NoTerminalException("openpty failed");
    } catch (LinkageError e) {
      // The library is unpacked into the temporary folder and loaded from there: a noexec one
      // refuses it.
      throw new NoTerminalException("the terminal library did not load: " + firstLine(e));
    }
    return new Pair(master[0], slave[0]);
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static FileDescriptor descriptor(int fd) {
    return JLineLibrary.newFileDescriptor(fd);
  }

  /** Closes pmj's copy of a descriptor (the slave once the child has its own). */
  static void close(int fd) {
    try {
      new FileInputStream(JLineLibrary.newFileDescriptor(fd)).close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  /**
   * The command that starts {@code argv} leading a session of its own with the terminal on its
   * stdin as its controlling terminal, and stdout and stderr on the terminal too: one redirect of
   * the JDK cannot be both stdin and stdout (it closes the descriptor after one dup).
   */
  static List<String> sessionCommand(List<String> argv) {
    List<String> c = new java.util.ArrayList<>();
    if (Platform.isMac()) {
      // No setsid -c: perl takes the terminal with TIOCSCTTY (untested on macOS).
      c.addAll(
          List.of(
              "perl",
              "-MPOSIX",
              "-e",
              "POSIX::setsid(); ioctl(STDIN, 0x20007461, 0);"
                  + " open(STDOUT, '>&STDIN'); open(STDERR, '>&STDIN');"
                  + " exec { $ARGV[0] } @ARGV or die \"$ARGV[0]: $!\\n\""));
    } else {
      c.addAll(List.of("setsid", "-c", "sh", "-c", "exec \"$@\" >&0 2>&0", "sh"));
    }
    c.addAll(argv);
    return c;
  }

  /** The master as pipe channels the JDK's selectors take; both share one descriptor. */
  static final class Channels {
    private static final Constructor<?> SOURCE;
    private static final Constructor<?> SINK;

    /** Why the channels cannot be made; null when they can. */
    static final String PROBLEM;

    static {
      Constructor<?> source = null;
      Constructor<?> sink = null;
      String problem = null;
      try {
        source =
            Class.forName("sun.nio.ch.SourceChannelImpl")
                .getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
        sink =
            Class.forName("sun.nio.ch.SinkChannelImpl")
                .getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
        // Opened to pmj by the jar's manifest (Add-Opens) for java -jar.
        source.setAccessible(true);
        sink.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException e) {
        problem = "pmj was started without java -jar (java.base/sun.nio.ch is not open to it)";
      }
      SOURCE = source;
      SINK = sink;
      PROBLEM = problem;
    }

    private Channels() {}

    static Pipe.SourceChannel source(FileDescriptor fd) throws IOException {
      return (Pipe.SourceChannel) make(SOURCE, fd);
    }

    static Pipe.SinkChannel sink(FileDescriptor fd) throws IOException {
      return (Pipe.SinkChannel) make(SINK, fd);
    }

    private static Object make(Constructor<?> c, FileDescriptor fd) throws IOException {
      try {
        return c.newInstance(SelectorProvider.provider(), fd);
      } catch (ReflectiveOperationException e) {
        throw new IOException("cannot wrap the terminal: " + e, e);
      }
    }
  }
}
