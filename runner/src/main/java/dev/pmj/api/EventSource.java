package dev.pmj.api;

import dev.pmj.supervisor.ControlException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;

/** One followed Server-Sent Events response of pmj's API, read on its own thread. */
final class EventSource implements AutoCloseable {
  /** Opens the stream; {@code since} is the seq of the last line seen (0: none yet). */
  interface Opener {
    HttpURLConnection open(long since, EventSource stream) throws IOException;
  }

  interface Handler {
    void event(String name, String data, EventSource stream);
  }

  interface Ender {
    void ended(boolean dropped);
  }

  private final Thread thread;
  private final Opener opener;
  private final Handler handler;
  private final Ender ender;
  private final boolean resume;
  private volatile HttpURLConnection connection;
  private volatile boolean closed;
  long lastSeq;

  /**
   * @param resume whether to open the stream again when the server ends it
   */
  EventSource(String name, Opener opener, Handler handler, Ender ender, boolean resume) {
    this.opener = opener;
    this.handler = handler;
    this.ender = ender;
    this.resume = resume;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    try {
      connection = opener.open(0, this);
    } catch (ConnectException e) {
      throw HttpControl.gone();
    } catch (IOException e) {
      throw new ControlException(
          ControlException.Kind.UNAVAILABLE, "pmj did not answer: " + e.getMessage());
    }
    thread.start();
  }

  private void run() {
    boolean dropped = false;
    try {
      while (!closed) {
        read(connection);
        if (closed || !resume) break;
        // The server ended the stream: dropped for being slow, or pmj is stopping.
        try {
          connection = opener.open(lastSeq, this);
        } catch (IOException | ControlException e) {
          break;
        }
      }
    } finally {
      end(dropped && !closed);
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean ended =
      new java.util.concurrent.atomic.AtomicBoolean();

  private void end(boolean dropped) {
    if (ended.compareAndSet(false, true)) ender.ended(dropped);
  }

  private void read(HttpURLConnection c) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while (!closed && (line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            try {
              handler.event(event, data.toString(), this);
            } catch (RuntimeException e) {
              // a line this client cannot read: skip it
            }
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) data.append('\n');
          data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
        }
      }
    } catch (IOException e) {
      // the connection ended
    } finally {
      c.disconnect();
    }
  }

  /**
   * Ends at once. The JDK's disconnect waits while the reading thread is blocked in a read (until
   * the next bytes, a heartbeat at the latest), so it runs on a thread of its own.
   */
  @Override
  public void close() {
    closed = true;
    HttpURLConnection c = connection;
    if (c != null) {
      Thread t = new Thread(c::disconnect, "pmj-stream-close");
      t.setDaemon(true);
      t.start();
    }
    end(false);
  }
}
