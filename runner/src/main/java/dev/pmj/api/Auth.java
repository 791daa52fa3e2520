package dev.pmj.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may ask (README, "From a second terminal"): every request needs the run's token (Bearer, or
 * the dashboard's cookie {@code pmj_token_PORT}) and a Host of this address (DNS rebinding), and
 * for state changes an Origin of this address when it has one. Refused requests (401, 403) are
 * counted, and pmj says how many at most once per {@link Limits#refusals}.
 */
final class Auth {
  static final String COOKIE = "pmj_token_"; // + port: cookies ignore ports, so a name per pmj

  private final Token token;
  private final int port;
  private final ScheduledExecutorService timer;
  private final Limits limits;
  private final AtomicInteger refusedToken = new AtomicInteger();
  private final AtomicInteger refusedHost = new AtomicInteger();
  private boolean refusalsToSay;

  Auth(Token token, int port, ScheduledExecutorService timer, Limits limits) {
    this.token = token;
    this.port = port;
    this.timer = timer;
    this.limits = limits;
  }

  /**
   * Whether the request may go on to its route; when not, it has been answered (refused, or the
   * dashboard's address with the token, answered with the cookie).
   */
  boolean admits(HttpExchange ex, Request req) throws IOException {
    if (!hostAllowed(req)) {
      refused(403);
      Responses.send(
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
      return false;
    }
    if (req.path.equals("/") && req.query.containsKey("token") && req.isGet()) {
      login(ex, req);
      return false;
    }
    if (!authorized(req)) {
      refused(401);
      if (Dashboard.isPage(req.path) && req.isGet()) {
        Dashboard.unauthorized(ex);
        return false;
      }
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      Responses.send(
          ex,
          401,
          Codec.error(
              "missing or wrong token: send Authorization: Bearer TOKEN (the token is in .pmj/state.json), or open the address pmj up printed"));
      return false;
    }
    if (req.changesState() && !originAllowed(req)) {
      refused(403);
      Responses.send(
          ex, 403, Codec.error("Origin " + req.header("Origin") + " may not change anything here"));
      return false;
    }
    if (typesIntoTerminal(req)) {
      String client = req.header(CLIENT);
      if (client == null || client.isBlank()) {
        refused(403);
        Responses.send(
            ex,
            403,
            Codec.error(
                "typing into a terminal needs the header "
                    + CLIENT
                    + " (any name for the client, e.g. "
                    + CLIENT
                    + ": my-script)"));
        return false;
      }
    }
    return true;
  }

  /** The header a client names itself with; required to type into a terminal. */
  static final String CLIENT = "X-Pmj-Client";

  private static final java.util.regex.Pattern TERMINAL_WRITE =
      java.util.regex.Pattern.compile("^/api/processes/[^/]+/(input|resize)$");

  /**
   * Input and resize reach a program as keystrokes: beyond the token and the Origin they need a
   * header of pmj's own, which a page elsewhere cannot make a browser send without asking first
   * (CORS preflight, which pmj never allows).
   */
  private static boolean typesIntoTerminal(Request req) {
    return req.changesState() && TERMINAL_WRITE.matcher(req.path).matches();
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

  private boolean originAllowed(Request req) {
    String origin = req.header("Origin");
    if (origin == null) return true;
    String o = origin.toLowerCase(Locale.ROOT);
    return o.equals("http://127.0.0.1:" + port) || o.equals("http://localhost:" + port);
  }

  private boolean authorized(Request req) {
    String auth = req.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return token.matches(auth.substring(7).trim());
    }
    String cookies = req.header("Cookie");
    if (cookies != null) {
      for (String c : cookies.split(";")) {
        String kv = c.trim();
        if (kv.startsWith(COOKIE + port + "=") && token.matches(kv.substring(kv.indexOf('=') + 1)))
          return true;
      }
    }
    return false;
  }

  /** {@code /?token=…}: sets the cookie and sends the browser on to a clean address. */
  private void login(HttpExchange ex, Request req) throws IOException {
    if (!token.matches(req.query.get("token"))) {
      refused(401);
      Dashboard.unauthorized(ex);
      return;
    }
    ex.getResponseHeaders()
        .set(
            "Set-Cookie",
            COOKIE + port + "=" + token.text() + "; Path=/; HttpOnly; SameSite=Strict");
    Dashboard.enter(ex);
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
    } catch (RejectedExecutionException e) {
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
}
