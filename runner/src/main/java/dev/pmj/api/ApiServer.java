package dev.pmj.api;

import com.sun.net.httpserver.HttpServer;
import dev.pmj.supervisor.Control;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * The HTTP API (README, "From a second terminal") on 127.0.0.1, with the JDK's HTTP server. This
 * class wires its parts: {@link Auth} (token, Host, Origin, refusals), {@link RequestThreads} (a
 * thread per request, the time of its headers and body), {@link Connections} (the cap, and shedding
 * under pressure), {@link Request} (parsing, the body's limit), {@link Routes} (the endpoints) and
 * {@link Streams} (Server-Sent Events). No CORS header is ever sent.
 */
public final class ApiServer implements AutoCloseable {
  private final HttpServer server;
  private final Token token;
  private final int port;
  private final ScheduledThreadPoolExecutor timer;
  private final RequestThreads threads;
  private final Connections connections;
  private final Streams streams;

  private ApiServer(
      Control control, HttpServer server, Token token, Duration heartbeat, Limits limits) {
    this.server = server;
    this.token = token;
    this.port = server.getAddress().getPort();
    // One timer for every part: request watches, looks at connections, refusals, heartbeats.
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "pmj-http-timer");
              th.setDaemon(true);
              return th;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.threads = new RequestThreads(timer, limits);
    this.connections = new Connections(server, timer, limits, threads);
    this.streams = new Streams(control, timer, heartbeat.toMillis());
    Routes routes = new Routes(control, new Auth(token, port, timer, limits), streams);
    server.setExecutor(this::execute);
    server.createContext("/", threads.timed(routes::handle));
  }

  /**
   * Serves {@code control} on 127.0.0.1:{@code port} (0: a free port) with a new token.
   *
   * @throws IOException when the port cannot be had
   */
  public static ApiServer start(Control control, int port) throws IOException {
    return start(control, port, text -> {});
  }

  /**
   * Serves {@code control} on 127.0.0.1:{@code port} (0: a free port) with a new token.
   *
   * @param say writes one of pmj's own lines (refused requests, too many connections)
   * @throws IOException when the port cannot be had
   */
  public static ApiServer start(Control control, int port, Consumer<String> say)
      throws IOException {
    return start(control, port, Duration.ofSeconds(10), Limits.of(say));
  }

  /**
   * @param heartbeat how often open streams get a comment that finds vanished clients
   */
  static ApiServer start(Control control, int port, Duration heartbeat) throws IOException {
    return start(control, port, heartbeat, Limits.of(text -> {}));
  }

  static ApiServer start(Control control, int port, Duration heartbeat, Limits limits)
      throws IOException {
    // The JDK's server reads these once, when its classes load (for the limits, a value given on
    // the command line wins). Headers and body leave in separate writes: with Nagle's algorithm
    // the body waits for the client's delayed ACK (40 ms a request on Linux).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // More connections than this are closed as soon as they are accepted: every one is a file
    // descriptor, and pmj's children need theirs. (Read by Java 17.0.15 here and 25; a JDK
    // without it has no limit.)
    defaultProperty("jdk.httpserver.maxConnections", Integer.toString(Connections.MAX));
    // A connection that sends nothing (new, or between two requests) is closed after 10 s,
    // checked every second rather than every 10 s.
    defaultProperty("sun.net.httpserver.idleInterval", "10");
    defaultProperty("sun.net.httpserver.clockTick", "1000");
    // Not sun.net.httpserver.maxReqTime: it counts headers and body together, and maxRspTime
    // would end streams that stay open for hours. RequestThreads times each part.
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ApiServer api = new ApiServer(control, server, Token.random(), heartbeat, limits);
    server.start();
    api.connections.watch();
    return api;
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  private void execute(Runnable exchange) {
    connections.lookIfFull();
    threads.execute(exchange);
  }

  public int port() {
    return port;
  }

  public String token() {
    return token.text();
  }

  /** The address that opens the dashboard with this run's token. */
  public String dashboard() {
    return "http://127.0.0.1:" + port + "/?token=" + token.text();
  }

  /** Ends every open stream, as when clients are dropped: they reconnect (for tests). */
  void endStreams() {
    streams.endAll();
  }

  /** Streams (Server-Sent Events) open now. */
  int openStreams() {
    return streams.count();
  }

  /** Ends every stream, then the server. */
  @Override
  public void close() {
    timer.shutdownNow();
    streams.close();
    server.stop(0);
    threads.close();
  }
}
