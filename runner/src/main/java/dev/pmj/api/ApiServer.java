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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API (SPEC §7.2) on 127.0.0.1, with the JDK's HTTP server: every request needs the run's
 * token (Bearer, or the dashboard's cookie), a Host of this address (DNS rebinding), and for state
 * changes an Origin of this address when it has one; bodies over 64 KiB are refused; no CORS header
 * is ever sent. Requests run on a small bounded pool; a stream (Server-Sent Events) is written by
 * its own thread, so an open stream never holds a request thread.
 */
public final class ApiServer implements AutoCloseable {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_STREAMS = 64;
  static final String COOKIE = "pmj_token_"; // + port: cookies ignore ports, so a name per pmj
  private static final String JSON = "application/json; charset=utf-8";
  private static final Pattern PROCESS =
      Pattern.compile("^/api/processes/([A-Za-z0-9][A-Za-z0-9_.-]*)(/(start|stop|restart|logs))?$");

  private final Control control;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService heartbeat;
  private long beatEveryMillis;
  private boolean beating;
  private final String token;
  private final byte[] tokenBytes;
  private final int port;
  private final Set<Sse> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicInteger streamNumber = new AtomicInteger();
  private final Rpc rpc;
  private final Dashboard dashboard = new Dashboard();

  private ApiServer(Control control, HttpServer server, String token) {
    this.control = control;
    this.server = server;
    this.token = token;
    this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    this.port = server.getAddress().getPort();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            1,
            8,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "pmj-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pmj-sse-heartbeat");
              t.setDaemon(true);
              return t;
            });
    this.rpc = new Rpc(control);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  /**
   * Serves {@code control} on 127.0.0.1:{@code port} (0: a free port) with a new token.
   *
   * @throws IOException when the port cannot be had
   */
  public static ApiServer start(Control control, int port) throws IOException {
    return start(control, port, java.time.Duration.ofSeconds(10));
  }

  /**
   * @param heartbeat how often open streams get a comment that finds vanished clients
   */
  static ApiServer start(Control control, int port, java.time.Duration heartbeat)
      throws IOException {
    // Headers and body leave in separate writes: with Nagle's algorithm the body waits for the
    // client's delayed ACK (40 ms a request on Linux). Read once, when the server class loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ApiServer api = new ApiServer(control, server, newToken());
    api.beatEveryMillis = heartbeat.toMillis();
    server.start();
    return api;
  }

  /** Heartbeats start with the first stream: a pmj nobody watches keeps no thread for them. */
  private synchronized void beatFromNowOn() {
    if (beating) return;
    beating = true;
    heartbeat.scheduleWithFixedDelay(
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
    try {
      Request req = new Request(ex);
      if (!hostAllowed(req)) {
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
      if (req.path.equals("/") && req.query.containsKey("token") && req.method.equals("GET")) {
        login(ex, req);
        return;
      }
      if (!authorized(req)) {
        if (Dashboard.isPage(req.path) && req.method.equals("GET")) {
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
        send(
            ex,
            403,
            Codec.error("Origin " + req.header("Origin") + " may not change anything here"));
        return;
      }
      // The whole body is read (and its size checked) before anything is done.
      if (changesState(req.method)) req.body();
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
    } catch (IOException e) {
      ex.close();
    } catch (RuntimeException e) {
      send(ex, 500, Codec.error("internal error: " + e));
    }
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
        if (req.method.equals("GET")) {
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
      if (req.method.equals("GET")) {
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

  private void only(Request req, String... methods) {
    for (String m : methods) if (m.equals(req.method)) return;
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
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    bodyHeaders(ex, type);
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
    heartbeat.shutdownNow();
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
    private String body;

    Request(HttpExchange ex) {
      this.ex = ex;
      this.method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      this.path = ex.getRequestURI().getRawPath();
      this.query = parseQuery(ex.getRequestURI().getRawQuery());
    }

    String header(String name) {
      return ex.getRequestHeaders().getFirst(name);
    }

    /** The body as text; 413 past {@link #MAX_BODY} bytes. */
    String body() throws IOException {
      if (body != null) return body;
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
