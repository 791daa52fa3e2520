package dev.pmj.api;

import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cap on open connections, and shedding under pressure: the JDK's server closes a connection
 * that sends nothing for 10 s and keeps at most {@link #MAX} open, closing more at once. So that a
 * flood of silent clients cannot lock the user's own commands out for those 10 s, from {@link
 * #PRESSURE} open connections on a connection that has not sent its whole request within {@link
 * Limits#stalled} is closed: a client of pmj sends it at once. pmj says (at most once a minute)
 * when the limit is reached.
 */
final class Connections {
  static final int MAX = 128;

  /** From this many open connections on, stalled ones are closed after {@link Limits#stalled}. */
  static final int PRESSURE = MAX * 3 / 4;

  /** How often pmj looks at its connections: shedding begins within this of the grace's end. */
  private static final long LOOK_EVERY_MILLIS = 250;

  /** pmj says that the limit is reached at most once in this time. */
  private static final long SAY_FULL_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final View view;
  private final ScheduledExecutorService timer;
  private final Limits limits;
  private final RequestThreads requests;
  private boolean saidFull;
  private long saidFullAt;

  Connections(
      HttpServer server, ScheduledExecutorService timer, Limits limits, RequestThreads requests) {
    this.view = View.of(server);
    this.timer = timer;
    this.limits = limits;
    this.requests = requests;
  }

  /** Looks at the connections from now on, every {@link #LOOK_EVERY_MILLIS}. */
  void watch() {
    if (view == null) return;
    timer.scheduleWithFixedDelay(
        this::look, LOOK_EVERY_MILLIS, LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Looks now if the limit is reached: a flood of requests may fill it between two looks. */
  void lookIfFull() {
    if (view != null && view.open() >= MAX) look();
  }

  /**
   * Sheds stalled connections under pressure, and says (at most once a minute) that the limit is
   * reached.
   */
  private synchronized void look() {
    int open = view.open();
    if (open >= PRESSURE) shed();
    if (open >= MAX && !saidFull) {
      saidFull = true;
      saidFullAt = System.nanoTime();
      limits
          .say()
          .accept(
              "the API has "
                  + MAX
                  + " connections open, its limit: it closes new ones at once, and those that send"
                  + " no whole request within "
                  + Limits.seconds(limits.stalled())
                  + ", until fewer are open");
    } else if (open <= MAX / 2 && System.nanoTime() - saidFullAt >= SAY_FULL_EVERY_NANOS) {
      saidFull = false;
    }
  }

  /** Closes connections that wait for a (whole) request longer than {@link Limits#stalled}. */
  private void shed() {
    view.closeWaiting(limits.stalled().toMillis());
    requests.shed(limits.stalled());
  }

  /**
   * The JDK server's own connections, where pmj may look (the jar opens sun.net.httpserver to it):
   * the server closes more than {@link #MAX} without a word, so pmj looks to say so, and under
   * pressure closes those that sent nothing as the server's idle timer does after 10 s (as Java
   * 25's sources and 17.0.15's classes have it: a connection waiting for its first byte, or for its
   * next request, is in {@code newlyAcceptedConnections} or {@code idleConnections} since its
   * {@code idleStartTime}; whoever removes it from that set owns it, and the server's selector
   * thread takes only what it removes itself). Null where pmj may not look; without the sets of
   * waiting connections, only requests that stall on pmj's threads are shed.
   */
  private static final class View {
    private final Set<?> all;
    private final List<Set<?>> waiting;
    private final Field since;
    private final Method close;

    private View(Set<?> all, List<Set<?>> waiting, Field since, Method close) {
      this.all = all;
      this.waiting = waiting;
      this.since = since;
      this.close = close;
    }

    static View of(HttpServer server) {
      Object impl;
      Set<?> all;
      try {
        Field f = server.getClass().getDeclaredField("server");
        f.setAccessible(true);
        impl = f.get(server);
        all = (Set<?>) field(impl, "allConnections");
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
      try {
        List<Set<?>> waiting = new ArrayList<>();
        waiting.add((Set<?>) field(impl, "idleConnections"));
        try {
          waiting.add((Set<?>) field(impl, "newlyAcceptedConnections"));
        } catch (NoSuchFieldException older) {
          // an older server puts new connections with the idle ones
        }
        Class<?> connection =
            Class.forName(
                "sun.net.httpserver.HttpConnection", false, impl.getClass().getClassLoader());
        Field since = connection.getDeclaredField("idleStartTime");
        since.setAccessible(true);
        Method close = connection.getDeclaredMethod("close");
        close.setAccessible(true);
        return new View(all, List.copyOf(waiting), since, close);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new View(all, List.of(), null, null);
      }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
      Field f = o.getClass().getDeclaredField(name);
      f.setAccessible(true);
      return f.get(o);
    }

    int open() {
      return all.size();
    }

    /** Closes the connections that have sent nothing for {@code graceMillis}. */
    void closeWaiting(long graceMillis) {
      long now = System.currentTimeMillis();
      for (Set<?> set : waiting) {
        List<Object> old = new ArrayList<>();
        // forEach holds the set's lock, as the server's idle timer does.
        set.forEach(
            c -> {
              if (now - idleSince(c) >= graceMillis) old.add(c);
            });
        for (Object c : old) {
          if (!set.remove(c)) continue; // its request began meanwhile: the server's now
          all.remove(c);
          try {
            close.invoke(c);
          } catch (ReflectiveOperationException | RuntimeException e) {
            // closed already, or not closable: no longer counted either way
          }
        }
      }
    }

    private long idleSince(Object c) {
      try {
        return since.getLong(c);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Long.MAX_VALUE; // never old enough
      }
    }
  }
}
