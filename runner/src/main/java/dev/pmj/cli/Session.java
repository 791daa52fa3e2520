package dev.pmj.cli;

import dev.pmj.api.ApiServer;
import dev.pmj.config.ConfigLoader;
import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LocalControl;
import dev.pmj.supervisor.Supervisor;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The parts of one run of a project in this JVM, in the order pmj up builds them: the OS's process
 * control, the event stream and the supervisor (here), then the control every view drives, then the
 * views (watches, the API, the console, the writers), each opened through {@link #own}. {@link
 * #close()} closes them in the reverse order, exactly once, whoever calls it first (the end of pmj
 * up, a failure half-way through building, a test); a second caller waits until they are closed.
 * Stopping the processes is not closing: the caller stops them first, while its views still show
 * them stopping.
 *
 * <p>Public for the API's tests, which run a project as pmj up does: its fields, its constructor
 * and {@link #control(ConfigLoader, Predicate, String, Consumer, Function)}.
 */
public final class Session implements AutoCloseable {
  private final Project project;
  public final EventStream events = new EventStream();
  public final ProcessControl os;
  public final Supervisor supervisor;

  /** What is open, the last opened first; null once closed. */
  private Deque<AutoCloseable> open = new ArrayDeque<>();

  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile LocalControl control;

  /**
   * Supervises {@code supervised} (none started yet) of {@code project}.
   *
   * @throws RuntimeException when the supervisor cannot be made; what was opened is closed
   */
  public Session(Project project, List<String> supervised, Supervisor.Options options) {
    this.project = project;
    this.os = own(ProcessControl.create());
    try {
      this.supervisor =
          own(new Supervisor(project, supervised, options, os, events, Clock.systemUTC()));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * The control the views and the API drive, made once.
   *
   * @param watched whether a process is in devMode (restarts when its files change)
   * @param onShutdown asked to stop pmj, with who asked
   * @param colorOf the color word of a process
   */
  public LocalControl control(
      ConfigLoader loader,
      Predicate<String> watched,
      String version,
      Consumer<String> onShutdown,
      Function<String, String> colorOf) {
    if (control != null) throw new IllegalStateException("the control is made already");
    control = new LocalControl(supervisor, project, loader, watched, version, onShutdown, colorOf);
    return control;
  }

  /**
   * The control, once {@link #control(ConfigLoader, Predicate, String, Consumer, Function)} made
   * it.
   */
  LocalControl control() {
    return control;
  }

  /**
   * Serves the control's API on 127.0.0.1:{@code port} (0: a free one).
   *
   * @param say writes one of pmj's own lines
   */
  ApiServer serve(int port, Consumer<String> say) throws IOException {
    return own(ApiServer.start(control, port, say));
  }

  /** A subscriber of the events, closed (its queue written out) before what opened before it. */
  EventStream.Subscription subscribe(
      String name,
      EventStream.Subscriber subscriber,
      EventStream.Delivery delivery,
      int capacity,
      boolean withOutput) {
    return own(events.subscribe(name, subscriber, delivery, capacity, withOutput));
  }

  /**
   * Closes {@code part} with the session, before everything opened earlier; at once when the
   * session is closed already.
   */
  <T extends AutoCloseable> T own(T part) {
    synchronized (this) {
      if (open != null) {
        open.push(part);
        return part;
      }
    }
    closeQuietly(part, null);
    return part;
  }

  /** Closes every part, the last opened first; once, whoever calls first. */
  @Override
  public void close() {
    Deque<AutoCloseable> parts;
    synchronized (this) {
      parts = open;
      open = null;
    }
    if (parts == null) {
      awaitClosed();
      return;
    }
    RuntimeException failed = null;
    try {
      for (AutoCloseable part : parts) failed = closeQuietly(part, failed);
    } finally {
      closed.countDown();
    }
    if (failed != null) throw failed;
  }

  /** Closes one part; a failure is kept for the end (the first, the later ones suppressed). */
  private static RuntimeException closeQuietly(AutoCloseable part, RuntimeException failed) {
    try {
      part.close();
      return failed;
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      if (failed == null) {
        return e instanceof RuntimeException r
            ? r
            : new IllegalStateException("cannot close " + part + ": " + e, e);
      }
      failed.addSuppressed(e);
      return failed;
    }
  }

  /** Waits until the first caller of close() is done, so that the JVM does not end halfway. */
  private void awaitClosed() {
    try {
      closed.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
