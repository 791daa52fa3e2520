package dev.pmj.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API (README, "From a second terminal") on 127.0.0.1, with the JDK's HTTP server: every
 * request needs the run's token (Bearer, or the dashboard's cookie), a Host of this address (DNS
 * rebinding), and for state changes an Origin of this address when it has one; bodies over 64 KiB
 * are refused; no CORS header is ever sent. A stream (Server-Sent Events) is written by its own
 * thread, so an open stream never holds a request thread.
 *
 * <p>Under clients that stall or flood (README, "From a second terminal"): each request runs on a
 * thread of its own (the JDK's server reads the request line and headers on that thread, so a
 * shared thread would let one silent client hold every request behind it); a request's line and
 * headers must arrive within 10 s of its first byte and its body within 10 s more, or its thread is
 * interrupted, which closes the connection; the JDK's server closes a connection that sends nothing
 * for 10 s and keeps at most 128 open, closing more at once. So that a flood of silent clients
 * cannot lock the user's own commands out for those 10 s, from 96 open connections on a connection
 * that has not sent its whole request within 1 s is closed (shedding): a client of pmj sends it at
 * once. Request threads end after 30 s without work, so an idle pmj keeps none.
 */
public final class ApiServer implements AutoCloseable {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_STREAMS = 64;
  static final int MAX_CONNECTIONS = 128;

  /** From this many open connections on, stalled ones are closed after {@link Limits#stalled}. */
  static final int PRESSURE = MAX_CONNECTIONS * 3 / 4;

  /** How often pmj looks at its connections: shedding begins within this of the grace's end. */
  private static final long LOOK_EVERY_MILLIS = 250;

  /** pmj says that the limit is reached at most once in this time. */
  private static final long SAY_FULL_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  static final String COOKIE = "pmj_token_"; // + port: cookies ignore ports, so a name per pmj
  private static final String JSON = "application/json; charset=utf-8";
  private static final Pattern PROCESS =
      Pattern.compile("^/api/processes/([A-Za-z0-9][A-Za-z0-9_.-]*)(/(start|stop|restart|logs))?$");

  private final Control control;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  private final Limits limits;
  private final Connections connections;
  private final Set<Watch> watches = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private boolean saidFull;
  private long saidFullAt;
  private final AtomicInteger refusedToken = new AtomicInteger();
  private final AtomicInteger refusedHost = new AtomicInteger();
  private boolean refusalsToSay;
  private long beatEveryMillis;
  private boolean beating;
  private final String token;
  private final byte[] tokenBytes;
  private final int port;
  private final Set<Sse> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicInteger streamNumber = new AtomicInteger();
  private final Rpc rpc;
  private final Dashboard dashboard = new Dashboard();

  /**
   * How long a client may take, and where pmj's own lines go (README, "From a second terminal");
   * tests shorten the times.
   *
   * @param headers from a request's first byte to the end of its headers
   * @param body from then to the end of its body
   * @param stalled while {@link #PRESSURE} connections or more are open, a connection is closed
   *     when it has waited this long for a request, or for the rest of a request's head or body
   * @param refusals how long refused requests are counted before pmj says how many there were
   * @param say writes one of pmj's own lines
   */
  record Limits(
      java.time.Duration headers,
      java.time.Duration body,
      java.time.Duration stalled,
      java.time.Duration refusals,
      java.util.function.Consumer<String> say) {
    static Limits of(java.util.function.Consumer<String> say) {
      return new Limits(
          java.time.Duration.ofSeconds(10),
          java.time.Duration.ofSeconds(10),
          // Long enough for any client of pmj on this machine to send a whole request, short
          // enough that the user's next command is answered about a second into a flood.
          java.time.Duration.ofSeconds(1),
          java.time.Duration.ofMinutes(1),
          say);
    }
  }

  private ApiServer(Control control, HttpServer server, String token, Limits limits) {
    this.control = control;
    this.server = server;
    this.token = token;
    this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    this.port = server.getAddress().getPort();
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    // No queue: a request that waited behind a client that sends nothing would wait as long as it.
    // The JDK's server has at most MAX_CONNECTIONS connections, each with at most one request
    // being read, so the pool never refuses one; should it, the JDK's server closes that
    // connection.
    this.pool =
        new ThreadPoolExecutor(
            0,
            MAX_CONNECTIONS + 8,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "pmj-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "pmj-http-timer");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    this.connections = Connections.of(server);
    this.rpc = new Rpc(control);
    server.setExecutor(this::execute);
    server.createContext("/", this::handle);
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
  public static ApiServer start(Control control, int port, java.util.function.Consumer<String> say)
      throws IOException {
    return start(control, port, java.time.Duration.ofSeconds(10), Limits.of(say));
  }

  /**
   * @param heartbeat how often open streams get a comment that finds vanished clients
   */
  static ApiServer start(Control control, int port, java.time.Duration heartbeat)
      throws IOException {
    return start(control, port, heartbeat, Limits.of(text -> {}));
  }

  static ApiServer start(Control control, int port, java.time.Duration heartbeat, Limits limits)
      throws IOException {
    // The JDK's server reads these once, when its classes load (for the limits, a value given on
    // the command line wins). Headers and body leave in separate writes: with Nagle's algorithm
    // the body waits for the client's delayed ACK (40 ms a request on Linux).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // More connections than this are closed as soon as they are accepted: every one is a file
    // descriptor, and pmj's children need theirs. (Read by Java 17.0.15 here and 25; a JDK
    // without it has no limit.)
    defaultProperty("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    // A connection that sends nothing (new, or between two requests) is closed after 10 s,
    // checked every second rather than every 10 s.
    defaultProperty("sun.net.httpserver.idleInterval", "10");
    defaultProperty("sun.net.httpserver.clockTick", "1000");
    // Not sun.net.httpserver.maxReqTime: it counts headers and body together, and maxRspTime
    // would end streams that stay open for hours. Our own watch (execute) times each part.
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ApiServer api = new ApiServer(control, server, newToken(), limits);
    api.beatEveryMillis = heartbeat.toMillis();
    server.start();
    api.watchConnections();
    return api;
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  // ---- clients that stall or flood ----

  /** The phase a request thread is in, for the watch that ends it when it takes too long. */
  private static final ThreadLocal<Watch> WATCH = new ThreadLocal<>();

  /**
   * Runs one request of the JDK's server (which reads its line and headers first) on a thread of
   * its own, under a watch of its headers.
   */
  private void execute(Runnable exchange) {
    // Looked at here too, not only between looks: a flood of requests may fill it meanwhile.
    if (connections != null && connections.open() >= MAX_CONNECTIONS) checkConnections();
    pool.execute(
        () -> {
          Watch w = new Watch(Thread.currentThread(), timer);
          WATCH.set(w);
          w.arm(limits.headers());
          watches.add(w);
          try {
            exchange.run();
          } finally {
            watches.remove(w);
            w.disarm();
            WATCH.remove();
            Thread.interrupted(); // a late interrupt must not reach the next request
          }
        });
  }

  /**
   * Interrupts a thread still reading a part of a request after its time: the thread is blocked
   * reading a socket channel, and an interrupt closes the channel, which ends the read and the
   * connection.
   */
  private static final class Watch {
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private java.util.concurrent.ScheduledFuture<?> pending;
    private long armedAt;
    private int armed;
    private boolean fired;

    Watch(Thread thread, ScheduledExecutorService timer) {
      this.thread = thread;
      this.timer = timer;
    }

    synchronized void arm(java.time.Duration limit) {
      int generation = ++armed;
      armedAt = System.nanoTime();
      try {
        pending = timer.schedule(() -> fire(generation), limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending = null; // the server is closing, and with it every connection
      }
    }

    private synchronized void fire(int generation) {
      if (generation != armed || pending == null) return;
      pending = null;
      fired = true;
      thread.interrupt();
    }

    /**
     * Ends the connection now if the part being read has lasted {@code grace} or more (a request
     * being answered is not watched, and never ended here).
     */
    synchronized void shed(long graceNanos) {
      if (pending == null || System.nanoTime() - armedAt < graceNanos) return;
      pending.cancel(false);
      fire(armed);
    }

    /** Ends the watch of this part; false when its time ran out (the connection is closed). */
    synchronized boolean disarm() {
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
      return !fired;
    }
  }

  /**
   * The JDK server's own connections, where pmj may look (the jar opens sun.net.httpserver to it):
   * the server closes more than {@link #MAX_CONNECTIONS} without a word, so pmj looks to say so,
   * and under pressure closes those that sent nothing as the server's idle timer does after 10 s
   * (as Java 25's sources and 17.0.15's classes have it: a connection waiting for its first byte,
   * or for its next request, is in {@code newlyAcceptedConnections} or {@code idleConnections}
   * since its {@code idleStartTime}; whoever removes it from that set owns it, and the server's
   * selector thread takes only what it removes itself). Null where pmj may not look; without the
   * sets of waiting connections, only requests that stall on pmj's threads are shed.
   */
  private static final class Connections {
    private final Set<?> all;
    private final List<Set<?>> waiting;
    private final java.lang.reflect.Field since;
    private final java.lang.reflect.Method close;

    private Connections(
        Set<?> all,
        List<Set<?>> waiting,
        java.lang.reflect.Field since,
        java.lang.reflect.Method close) {
      this.all = all;
      this.waiting = waiting;
      this.since = since;
      this.close = close;
    }

    static Connections of(HttpServer server) {
      Object impl;
      Set<?> all;
      try {
        java.lang.reflect.Field f = server.getClass().getDeclaredField("server");
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
        java.lang.reflect.Field since = connection.getDeclaredField("idleStartTime");
        since.setAccessible(true);
        java.lang.reflect.Method close = connection.getDeclaredMethod("close");
        close.setAccessible(true);
        return new Connections(all, List.copyOf(waiting), since, close);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Connections(all, List.of(), null, null);
      }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
      java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
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

  private void watchConnections() {
    if (connections == null) return;
    timer.scheduleWithFixedDelay(
        this::checkConnections, LOOK_EVERY_MILLIS, LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Sheds stalled connections under pressure, and says (at most once a minute) that the limit is
   * reached.
   */
  private synchronized void checkConnections() {
    int open = connections.open();
    if (open >= PRESSURE) shed();
    if (open >= MAX_CONNECTIONS && !saidFull) {
      saidFull = true;
      saidFullAt = System.nanoTime();
      limits
          .say()
          .accept(
              "the API has "
                  + MAX_CONNECTIONS
                  + " connections open, its limit: it closes new ones at once, and those that send"
                  + " no whole request within "
                  + seconds(limits.stalled())
                  + ", until fewer are open");
    } else if (open <= MAX_CONNECTIONS / 2
        && System.nanoTime() - saidFullAt >= SAY_FULL_EVERY_NANOS) {
      saidFull = false;
    }
  }

  /** Closes connections that wait for a (whole) request longer than {@link Limits#stalled}. */
  private void shed() {
    connections.closeWaiting(limits.stalled().toMillis());
    long grace = limits.stalled().toNanos();
    for (Watch w : watches) w.shed(grace);
  }

  private static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** Counts a refused request (401, 403); pmj says how many at most once per {@code refusals}. */
  private void refused(int status) {
    (status == 401 ? refusedToken : refusedHost).incrementAndGet();
    synchronized (this) {
      if (refusalsToSay) return;
      refusalsToSay = true;
    }
    try {
      timer.schedule(this::sayRefusals, limits.refusals().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void sayRefusals() {
    synchronized (this) {
      refusalsToSay = false;
    }
    int token = refusedToken.getAndSet(0);
    int host = refusedHost.getAndSet(0);
    if (token + host == 0) return; // said with the period before
    List<String> why = new ArrayList<>();
    if (token > 0) why.add(token + " without this run's token (401)");
    if (host > 0) why.add(host + " from another Host or Origin (403)");
    long s = limits.refusals().toSeconds();
    limits
        .say()
        .accept(
            "the API refused "
                + (token + host)
                + (token + host == 1 ? " request" : " requests")
                + " in the last "
                + (s == 60 ? "minute" : s + " s")
                + ": "
                + String.join(", ", why));
  }

  /** Heartbeats start with the first stream: a pmj nobody watches does no work for them. */
  private synchronized void beatFromNowOn() {
    if (beating) return;
    beating = true;
    timer.scheduleWithFixedDelay(
        this::beat, beatEveryMillis, beatEveryMillis, TimeUnit.MILLISECONDS);
  }

  /** Ends every open stream, as when clients are dropped: they reconnect (for tests). */
  void endStreams() {
    for (Sse s : new ArrayList<>(streams)) s.close();
  }

  /** Streams (Server-Sent Events) open now. */
  int openStreams() {
    return streams.size();
  }

  /** 32 random bytes, base64url without padding. */
  static String newToken() {
    byte[] b = new byte[32];
    // The system's generator read directly, as SecureRandom's default on POSIX does, without
    // starting the security providers for one read (about 40 classes at every start).
    try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
      if (in.readNBytes(b, 0, b.length) == b.length) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      }
    } catch (IOException e) {
      // no /dev/urandom (Windows): the provider's generator
    }
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public int port() {
    return port;
  }

  public String token() {
    return token;
  }

  /** The address that opens the dashboard with this run's token. */
  public String dashboard() {
    return "http://127.0.0.1:" + port + "/?token=" + token;
  }

  // ---- every request ----

  private void handle(HttpExchange ex) throws IOException {
    Watch watch = WATCH.get();
    // The headers are in: their watch ends here (or ended the connection already).
    if (watch != null && !watch.disarm()) throw new IOException("headers too slow");
    // A body's time starts now. It is read before anything is done, or, for a request refused
    // first, by the JDK's server after the answer (it reads what is left before the next
    // request): either way under this watch, or a client that stalls in it would hold its
    // connection and thread for ever.
    boolean bodyWatched = watch != null && declaresBody(ex);
    if (bodyWatched) watch.arm(limits.body());
    try {
      handle(ex, watch);
    } finally {
      if (bodyWatched) watch.disarm();
    }
  }

  /** Whether a request says that a body follows its headers. */
  private static boolean declaresBody(HttpExchange ex) {
    Headers h = ex.getRequestHeaders();
    if (h.containsKey("Transfer-Encoding")) return true;
    String length = h.getFirst("Content-Length");
    return length != null && !length.strip().equals("0");
  }

  private void handle(HttpExchange ex, Watch watch) throws IOException {
    try {
      Request req = new Request(ex, watch);
      if (!hostAllowed(req)) {
        refused(403);
        send(
            ex,
            403,
            Codec.error(
                "Host must be 127.0.0.1:"
                    + port
                    + " or localhost:"
                    + port
                    + " (got \""
                    + nonNull(req.header("Host"))
                    + "\")"));
        return;
      }
      if (req.path.equals("/") && req.query.containsKey("token") && req.isGet()) {
        login(ex, req);
        return;
      }
      if (!authorized(req)) {
        refused(401);
        if (Dashboard.isPage(req.path) && req.isGet()) {
          Dashboard.unauthorized(ex);
          return;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(
            ex,
            401,
            Codec.error(
                "missing or wrong token: send Authorization: Bearer TOKEN (the token is in .pmj/state.json), or open the address pmj up printed"));
        return;
      }
      if (changesState(req.method) && !originAllowed(req)) {
        refused(403);
        send(
            ex,
            403,
            Codec.error("Origin " + req.header("Origin") + " may not change anything here"));
        return;
      }
      // The whole body is read (and its size checked) before anything is done.
      if (changesState(req.method) || declaresBody(ex)) req.body();
      route(ex, req);
    } catch (TooLarge e) {
      send(ex, 413, Codec.error("request body over " + MAX_BODY / 1024 + " KiB"));
    } catch (BadRequest e) {
      send(ex, 400, Codec.error(e.getMessage()));
    } catch (Json.Malformed e) {
      send(ex, 400, Codec.error(e.getMessage()));
    } catch (NotFound e) {
      send(ex, 404, Codec.error(e.getMessage()));
    } catch (WrongMethod e) {
      ex.getResponseHeaders().set("Allow", e.allowed);
      send(ex, 405, Codec.error("method not allowed here; allowed: " + e.allowed));
    } catch (ControlException e) {
      sendProblem(ex, e);
    } catch (RuntimeException e) {
      send(ex, 500, Codec.error("internal error: " + e));
    }
    // An IOException (a client gone or too slow) goes to the JDK's server, which closes the
    // connection and stops counting it; closing the exchange here would leave it counted.
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private boolean hostAllowed(Request req) {
    String host = req.header("Host");
    if (host == null) return false;
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port);
  }

  private static boolean changesState(String method) {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  private boolean originAllowed(Request req) {
    String origin = req.header("Origin");
    if (origin == null) return true;
    String o = origin.toLowerCase(Locale.ROOT);
    return o.equals("http://127.0.0.1:" + port) || o.equals("http://localhost:" + port);
  }

  private boolean authorized(Request req) {
    String auth = req.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return matches(auth.substring(7).trim());
    }
    String cookies = req.header("Cookie");
    if (cookies != null) {
      for (String c : cookies.split(";")) {
        String kv = c.trim();
        if (kv.startsWith(COOKIE + port + "=") && matches(kv.substring(kv.indexOf('=') + 1)))
          return true;
      }
    }
    return false;
  }

  /** Compares in constant time: how long it takes says nothing of how much matched. */
  private boolean matches(String given) {
    return MessageDigest.isEqual(tokenBytes, given.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code /?token=…}: sets the cookie and sends the browser on to a clean address. */
  private void login(HttpExchange ex, Request req) throws IOException {
    if (!matches(req.query.get("token"))) {
      refused(401);
      Dashboard.unauthorized(ex);
      return;
    }
    Headers h = ex.getResponseHeaders();
    h.set("Set-Cookie", COOKIE + port + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
    Dashboard.enter(ex);
  }

  // ---- routes ----

  private void route(HttpExchange ex, Request req) throws IOException {
    String path = req.path;
    switch (path) {
      case "/":
        only(req, "GET");
        dashboard.serve(ex, path);
        return;
      case "/api/project":
        only(req, "GET");
        send(ex, 200, Codec.project(control.project()));
        return;
      case "/api/processes":
        only(req, "GET", "POST");
        if (req.isGet()) {
          send(ex, 200, Codec.infos(control.processes()));
        } else {
          ProcessInfo added = control.add(req.body(), by(req));
          send(ex, 201, Json.write(g -> Codec.info(g, added)));
        }
        return;
      case "/api/logs":
        only(req, "GET");
        logs(ex, req, null);
        return;
      case "/api/events":
        only(req, "GET");
        events(ex);
        return;
      case "/api/health":
        only(req, "GET");
        Control.Health h = control.health();
        send(ex, h.healthy() ? 200 : 503, Codec.health(h));
        return;
      case "/api/reload":
        only(req, "POST");
        send(ex, 200, Codec.reloaded(control.reload(by(req))));
        return;
      case "/api/shutdown":
        only(req, "POST");
        send(
            ex,
            202,
            Json.write(
                g -> {
                  g.writeStartObject();
                  g.writeBooleanField("stopping", true);
                  g.writeEndObject();
                }));
        control.shutdown(by(req));
        return;
      case "/rpc":
        only(req, "POST");
        Rpc.Reply reply = rpc.call(req.body());
        send(ex, reply.status(), reply.json());
        return;
      case "/metrics":
        only(req, "GET");
        send(ex, 200, MetricsText.CONTENT_TYPE, MetricsText.render(control.processes()));
        return;
      default:
        break;
    }
    if (path.startsWith("/assets/")) {
      only(req, "GET");
      dashboard.serve(ex, path);
      return;
    }
    Matcher m = PROCESS.matcher(path);
    if (!m.matches()) throw new NotFound("no such endpoint: " + path);
    String id = m.group(1);
    String action = m.group(3);
    if (action == null) {
      only(req, "GET", "DELETE");
      if (req.isGet()) {
        ProcessInfo p = control.process(id);
        send(ex, 200, Json.write(g -> Codec.info(g, p)));
      } else {
        req.body();
        ProcessInfo p = control.remove(id, by(req));
        send(ex, 202, Json.write(g -> Codec.info(g, p)));
      }
      return;
    }
    if (action.equals("logs")) {
      only(req, "GET");
      if (!id.equals(LogStore.PMJ)) control.process(id);
      logs(ex, req, id);
      return;
    }
    only(req, "POST");
    req.body();
    Control.CommandResult r =
        switch (action) {
          case "start" -> control.start(id, by(req));
          case "stop" -> control.stop(id, by(req));
          default -> control.restart(id, by(req));
        };
    int status = r.changed() ? 202 : 200;
    if (Control.ALL.equals(id)) {
      send(ex, status, Codec.infos(r.processes()));
    } else {
      send(ex, status, Json.write(g -> Codec.info(g, r.processes().get(0))));
    }
  }

  /** Who asked, for pmj's line about the command: the client names itself in a header. */
  private static String by(Request req) {
    String client = req.header("X-Pmj-Client");
    if (client == null || client.isBlank()) return "API";
    String c = client.strip();
    return c.length() > 40 ? c.substring(0, 40) : c;
  }

  /** HEAD is taken wherever GET is, and answered with GET's status and headers. */
  private void only(Request req, String... methods) {
    for (String m : methods) if (m.equals(req.method) || m.equals("GET") && req.isGet()) return;
    throw new WrongMethod(String.join(", ", methods));
  }

  // ---- logs and events ----

  private void logs(HttpExchange ex, Request req, String id) throws IOException {
    long since = req.number("since", 0);
    String lastEventId = req.header("Last-Event-ID");
    if (lastEventId != null) {
      try {
        since = Math.max(since, Long.parseLong(lastEventId.trim()));
      } catch (NumberFormatException e) {
        throw new BadRequest("Last-Event-ID must be a line's seq (got \"" + lastEventId + "\")");
      }
    }
    // A client that resumes gets every line after the last it saw, however many.
    int tail = lastEventId != null ? -1 : (int) Math.min(Integer.MAX_VALUE, req.number("tail", -1));
    boolean follow = req.bool("follow");
    boolean withPmj = !req.query.containsKey("pmj") || req.bool("pmj");
    Set<String> ids = new LinkedHashSet<>();
    if (id != null) {
      ids.add(id);
    } else if (req.query.containsKey("ids") && !req.query.get("ids").isBlank()) {
      for (String each : req.query.get("ids").split(",")) {
        if (!each.isBlank()) {
          control.process(each.strip());
          ids.add(each.strip());
        }
      }
    }
    LogStore.Query q = new LogStore.Query(ids, since, tail, withPmj);
    if (!follow) {
      List<LogStore.Line> lines = control.logs(q);
      sendStreaming(ex, 200, g -> Codec.lines(g, lines));
      return;
    }
    Sse sse = openStream(ex);
    if (sse == null) return;
    try {
      AutoCloseable follow1 =
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
      sse.onClose(follow1);
    } catch (RuntimeException e) {
      sse.close();
      throw e;
    }
  }

  private void events(HttpExchange ex) throws IOException {
    Sse sse = openStream(ex);
    if (sse == null) return;
    AutoCloseable sub =
        control.events(
            new dev.pmj.supervisor.EventStream.Subscriber() {
              @Override
              public void onEvent(dev.pmj.supervisor.ProcessEvent event) {
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

  /** Starts a Server-Sent Events response; null (and a 503) when too many are open. */
  private Sse openStream(HttpExchange ex) throws IOException {
    if (streams.size() >= MAX_STREAMS) {
      send(
          ex,
          503,
          Codec.error("too many open streams (" + MAX_STREAMS + "); close some and try again"));
      return null;
    }
    bodyHeaders(ex, "text/event-stream; charset=utf-8");
    // A stream that ends (dropped, or pmj stopping) ends its connection too.
    ex.getResponseHeaders().set("Connection", "close");
    if (isHead(ex)) {
      sendHeadOfChunked(ex, 200);
      return null;
    }
    ex.sendResponseHeaders(200, 0);
    Sse sse = new Sse(ex, streams::remove);
    streams.add(sse);
    beatFromNowOn();
    sse.write("retry: 1000\n\n");
    sse.flush();
    return sse;
  }

  private final java.util.concurrent.ExecutorService beats =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pmj-sse-heartbeat-write");
            t.setDaemon(true);
            return t;
          });

  private void beat() {
    for (Sse s : streams) s.heartbeat(beats);
  }

  // ---- responses ----

  /** What every answer with a body says: its type, and that it is not to be kept or sniffed. */
  private static void bodyHeaders(HttpExchange ex, String type) {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
  }

  static void send(HttpExchange ex, int status, String json) throws IOException {
    send(ex, status, JSON, json);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    bodyHeaders(ex, type);
    sendBytes(ex, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isHead(HttpExchange ex) {
    return ex.getRequestMethod().equalsIgnoreCase("HEAD");
  }

  /** Answers HEAD where GET's body is sent as it is written (chunked), with GET's headers. */
  private static void sendHeadOfChunked(HttpExchange ex, int status) throws IOException {
    ex.getResponseHeaders().set("Transfer-Encoding", "chunked");
    ex.sendResponseHeaders(status, -1);
  }

  /**
   * Sends a status and a body, or for HEAD the status and the headers that body would have (the
   * JDK's server sends no body for HEAD, and wants its length set by hand).
   */
  static void sendBytes(HttpExchange ex, int status, byte[] bytes) throws IOException {
    if (isHead(ex)) {
      if (bytes.length > 0)
        ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Sends JSON as it is written (chunked): all kept lines can be tens of megabytes, and pmj's heap
   * must not hold them as text, and again as bytes, beside the lines themselves.
   */
  private static void sendStreaming(HttpExchange ex, int status, Json.Writer body)
      throws IOException {
    bodyHeaders(ex, JSON);
    if (isHead(ex)) {
      sendHeadOfChunked(ex, status);
      return;
    }
    ex.sendResponseHeaders(status, 0);
    try (OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), 1 << 16);
        com.fasterxml.jackson.core.JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      body.write(g);
    }
  }

  private static void sendProblem(HttpExchange ex, ControlException e) throws IOException {
    int status =
        switch (e.kind()) {
          case NOT_FOUND -> 404;
          case INVALID -> 400;
          case CONFLICT -> 409;
          case UNAVAILABLE -> 503;
        };
    if (e.details().isEmpty()) {
      send(ex, status, Codec.error(e.getMessage()));
      return;
    }
    send(
        ex,
        status,
        Json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("error", e.getMessage());
              g.writeArrayFieldStart("problems");
              for (String d : e.details()) g.writeString(d);
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  /** Ends every stream, then the server. */
  @Override
  public void close() {
    timer.shutdownNow();
    beats.shutdownNow();
    for (Sse s : new ArrayList<>(streams)) s.close();
    server.stop(0);
    pool.shutdownNow();
  }

  // ---- requests ----

  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private static final class WrongMethod extends RuntimeException {
    final String allowed;

    WrongMethod(String allowed) {
      super(null, null, false, false);
      this.allowed = allowed;
    }
  }

  /** The parts of a request the routes read. */
  private static final class Request {
    final HttpExchange ex;
    final String method;
    final String path;
    final Map<String, String> query;
    private final Watch watch;
    private String body;

    /**
     * @param watch the watch of its body, armed while a declared body is read (null: none)
     */
    Request(HttpExchange ex, Watch watch) {
      this.ex = ex;
      this.watch = watch;
      this.method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      this.path = ex.getRequestURI().getRawPath();
      this.query = parseQuery(ex.getRequestURI().getRawQuery());
    }

    String header(String name) {
      return ex.getRequestHeaders().getFirst(name);
    }

    /** GET, or HEAD (answered as GET is, without the body). */
    boolean isGet() {
      return method.equals("GET") || method.equals("HEAD");
    }

    /** The body as text; 413 past {@link #MAX_BODY} bytes; the connection closed when too slow. */
    String body() throws IOException {
      if (body != null) return body;
      String text = readBody();
      // Read in time: what the request does next is not timed.
      if (watch != null && !watch.disarm()) throw new IOException("body too slow");
      return text;
    }

    private String readBody() throws IOException {
      String length = header("Content-Length");
      long declared = -1;
      if (length != null) {
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          throw new BadRequest("Content-Length is not a number");
        }
      }
      try (InputStream in = ex.getRequestBody()) {
        if (declared > MAX_BODY) {
          drain(in);
          throw new TooLarge();
        }
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
          drain(in);
          throw new TooLarge();
        }
        body = new String(b, StandardCharsets.UTF_8);
      }
      return body;
    }

    /**
     * Reads what the client still sends (up to a limit) before the 413, so that it reads the answer
     * instead of a reset connection.
     */
    private static void drain(InputStream in) throws IOException {

      long left = 1 << 20;
      byte[] buf = new byte[8192];
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
    }

    long number(String key, long fallback) {
      String v = query.get(key);
      if (v == null) return fallback;
      try {
        long n = Long.parseLong(v);
        if (n < 0) throw new NumberFormatException();
        return n;
      } catch (NumberFormatException e) {
        throw new BadRequest(key + " must be a whole number, 0 or more (got \"" + v + "\")");
      }
    }

    boolean bool(String key) {
      String v = query.get(key);
      if (v == null) return false;
      if (v.equals("true") || v.equals("1") || v.isEmpty()) return true;
      if (v.equals("false") || v.equals("0")) return false;
      throw new BadRequest(key + " must be true or false (got \"" + v + "\")");
    }

    private static Map<String, String> parseQuery(String raw) {
      Map<String, String> out = new LinkedHashMap<>();
      if (raw == null || raw.isEmpty()) return out;
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        String k = eq < 0 ? part : part.substring(0, eq);
        String v = eq < 0 ? "" : part.substring(eq + 1);
        try {
          out.put(
              URLDecoder.decode(k, StandardCharsets.UTF_8),
              URLDecoder.decode(v, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new BadRequest("the query string is not valid (" + e.getMessage() + ")");
        }
      }
      return out;
    }
  }
}
