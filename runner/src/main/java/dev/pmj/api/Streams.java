package dev.pmj.api;

import com.sun.net.httpserver.HttpExchange;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The open streams (Server-Sent Events) of followed lines and of events: at most {@link
 * #MAX_STREAMS}, each written by the thread of its subscription, so an open stream never holds a
 * request thread; a heartbeat comment finds clients that vanished.
 */
final class Streams implements AutoCloseable {
  static final int MAX_STREAMS = 64;

  private final Control control;
  private final ScheduledExecutorService timer;
  private final long beatEveryMillis;
  private final Set<Sse> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService beats =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pmj-sse-heartbeat-write");
            t.setDaemon(true);
            return t;
          });
  private boolean beating;

  /**
   * @param beatEveryMillis how often open streams get a comment that finds vanished clients
   */
  Streams(Control control, ScheduledExecutorService timer, long beatEveryMillis) {
    this.control = control;
    this.timer = timer;
    this.beatEveryMillis = beatEveryMillis;
  }

  /** Follows the lines {@code q} asks for, each line an SSE event with its seq as id. */
  void lines(HttpExchange ex, LogStore.Query q) throws IOException {
    Sse sse = openStream(ex);
    if (sse == null) return;
    try {
      AutoCloseable follow =
          control.followLogs(
              q,
              new LogStore.Follower() {
                @Override
                public void lines(List<LogStore.Line> lines) {
                  StringBuilder sb = new StringBuilder();
                  for (LogStore.Line l : lines) {
                    sb.append("id: ").append(l.seq()).append('\n');
                    sb.append("data: ").append(Codec.line(l)).append("\n\n");
                  }
                  sse.write(sb.toString());
                }

                @Override
                public void idle() {
                  sse.flush();
                }

                @Override
                public void ended(boolean dropped) {
                  sse.close();
                }
              });
      sse.onClose(follow);
    } catch (RuntimeException e) {
      sse.close();
      throw e;
    }
  }

  /** Follows the events: a snapshot of every state first, then each change. */
  void events(HttpExchange ex) throws IOException {
    Sse sse = openStream(ex);
    if (sse == null) return;
    AutoCloseable sub =
        control.events(
            new EventStream.Subscriber() {
              @Override
              public void onEvent(ProcessEvent event) {
                Codec.Sse e = Codec.event(event);
                if (e != null) sse.write("event: " + e.name() + "\ndata: " + e.data() + "\n\n");
              }

              @Override
              public void onIdle() {
                sse.flush();
              }

              @Override
              public void onEnd(boolean dropped) {
                sse.close();
              }
            });
    sse.onClose(sub);
  }

  /**
   * Follows the terminal of interactive process {@code id} (README, "From a second terminal"):
   * {@code output} events of base64 bytes (those kept first), {@code exit} when a run ends, {@code
   * restart} when a new run starts in a new terminal (its output follows on the same stream). An
   * unknown or not interactive process is answered (404, 409) before the stream starts.
   */
  void terminal(HttpExchange ex, String id) throws IOException {
    java.util.concurrent.CompletableFuture<Sse> stream =
        new java.util.concurrent.CompletableFuture<>();
    AutoCloseable follow =
        control.followTerminal(
            id,
            new Control.TerminalFollower() {
              @Override
              public void output(byte[] bytes) {
                send("output", java.util.Base64.getEncoder().encodeToString(bytes));
              }

              @Override
              public void exited(dev.pmj.supervisor.ProcessState state, Integer code) {
                send("exit", Codec.exited(state, code));
              }

              @Override
              public void restarted(long pid) {
                send("restart", Codec.restarted(pid));
              }

              private void send(String event, String data) {
                Sse sse = stream.join();
                if (sse != null) sse.write("event: " + event + "\ndata: " + data + "\n\n");
              }

              @Override
              public void idle() {
                Sse sse = stream.join();
                if (sse != null) sse.flush();
              }

              @Override
              public void ended(boolean dropped) {
                Sse sse = stream.join();
                if (sse != null) sse.close();
              }
            });
    Sse sse = null;
    try {
      sse = openStream(ex);
    } finally {
      stream.complete(sse);
      if (sse == null) closeQuietly(follow);
    }
    if (sse != null) sse.onClose(follow);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // ended already
    }
  }

  /** Starts a Server-Sent Events response; null (and a 503) when too many are open. */
  private Sse openStream(HttpExchange ex) throws IOException {
    if (open.size() >= MAX_STREAMS) {
      Responses.send(
          ex,
          503,
          Codec.error("too many open streams (" + MAX_STREAMS + "); close some and try again"));
      return null;
    }
    Responses.bodyHeaders(ex, "text/event-stream; charset=utf-8");
    // A stream that ends (dropped, or pmj stopping) ends its connection too.
    ex.getResponseHeaders().set("Connection", "close");
    if (Responses.isHead(ex)) {
      Responses.sendHeadOfChunked(ex, 200);
      return null;
    }
    ex.sendResponseHeaders(200, 0);
    Sse sse = new Sse(ex, open::remove);
    open.add(sse);
    beatFromNowOn();
    sse.write("retry: 1000\n\n");
    sse.flush();
    return sse;
  }

  /** Heartbeats start with the first stream: a pmj nobody watches does no work for them. */
  private synchronized void beatFromNowOn() {
    if (beating) return;
    beating = true;
    timer.scheduleWithFixedDelay(
        this::beat, beatEveryMillis, beatEveryMillis, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    for (Sse s : open) s.heartbeat(beats);
  }

  /** Streams open now. */
  int count() {
    return open.size();
  }

  /** Ends every open stream, as when clients are dropped: they reconnect. */
  void endAll() {
    for (Sse s : new ArrayList<>(open)) s.close();
  }

  /** Stops the heartbeats and ends every stream. */
  @Override
  public void close() {
    beats.shutdownNow();
    endAll();
  }
}
