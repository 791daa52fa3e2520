package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API under clients that stall, flood or send what they should not (README, "From a second
 * terminal"), over raw sockets where a well-behaved client cannot do it: each limit closes what it
 * should, says what it should in pmj's lines, and leaves every other request and the processes
 * alone.
 */
class ApiLimitsTest {
  /** The times of the limits here: short, so that a test waits seconds, not tens of them. */
  private static final Duration HEADERS = Duration.ofMillis(1500);

  private static final Duration BODY = Duration.ofMillis(1500);

  /** pmj's own grace for stalled connections under pressure. */
  private static final Duration STALLED = Duration.ofSeconds(1);

  private static final Duration REFUSALS = Duration.ofSeconds(5);

  private final List<String> said = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final RunningApi api =
      RunningApi.of(RunningApi.TWO_PROCESSES)
          .limits(limits(HEADERS, STALLED))
          .beforeServing(
              stack ->
                  stack.events.subscribe(
                      "limits-test",
                      e -> {
                        if (e instanceof ProcessEvent.Notice n && n.id() == null)
                          said.add(n.text());
                      },
                      EventStream.Delivery.LOSSLESS,
                      10_000));

  /** The limits of these tests, with pmj's lines said into {@link #said}. */
  private Limits limits(Duration headers, Duration stalled) {
    return new Limits(headers, BODY, stalled, REFUSALS, said::add);
  }

  /** Serves the API again, with this limit for headers. */
  private void serve(Duration headers) throws IOException {
    serve(headers, STALLED);
  }

  /** Serves the API again, with these limits for headers and for stalls under pressure. */
  private void serve(Duration headers, Duration stalled) throws IOException {
    api.serve(limits(headers, stalled));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return call("GET", path);
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return api.call(method, path, null);
  }

  private String head(String path) {
    return "Host: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer " + api.token() + "\r\n";
  }

  /**
   * Reads until the server ends the connection; returns how long that took and what came. Fails
   * when it is still open after {@code within}.
   */
  private record Ended(long millis, String text) {}

  private static Ended awaitEnd(Socket s, Duration within) throws IOException {
    long start = System.nanoTime();
    s.setSoTimeout((int) within.toMillis());
    StringBuilder text = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection is still open after " + within + "; got: " + text);
    } catch (SocketException e) {
      // reset: ended too
    }
    return new Ended(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), text.toString());
  }

  /** One byte, half a request line, and everything but the blank line that ends the headers. */
  private List<Socket> stallInHeaders() throws IOException {
    List<Socket> stalled = new ArrayList<>();
    for (String part :
        List.of(
            "G",
            "GET /api/processes HT",
            "GET /api/processes HTTP/1.1\r\n" + head("/api/processes"))) {
      Socket s = api.connect();
      s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      stalled.add(s);
    }
    return stalled;
  }

  @Test
  void aClientThatStallsInItsHeadersDelaysNoOther() throws Exception {
    // Stalled for 10 s, as in a real pmj: a request held behind them would wait that long.
    serve(Duration.ofSeconds(10));
    Map<String, Long> pids = api.pids();
    List<Socket> stalled = stallInHeaders();
    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) assertEquals(200, get("/api/processes").statusCode());
    long others = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(others < 5000, "5 requests took " + others + " ms");
    for (Socket s : stalled) {
      s.setSoTimeout(1);
      try {
        int r = s.getInputStream().read();
        throw new AssertionError("a stalled connection ended before its time (read " + r + ")");
      } catch (SocketTimeoutException stillOpen) {
        // as it should be
      }
    }
    api.assertNothingChanged(pids);
    assertEquals(List.of(), said);
  }

  @Test
  void aClientThatStallsInItsHeadersIsClosedAfterTheLimit() throws Exception {
    Map<String, Long> pids = api.pids();
    for (Socket s : stallInHeaders()) {
      Ended e = awaitEnd(s, HEADERS.plusSeconds(10));
      assertEquals("", e.text(), "closed without an answer");
    }
    assertEquals(200, get("/api/processes").statusCode());
    api.assertNothingChanged(pids);
    assertEquals(List.of(), said);
  }

  @Test
  void aClientThatStallsInItsBodyIsClosedAfterTheLimitAndNothingHappens() throws Exception {
    Map<String, Long> pids = api.pids();
    Socket s = api.connect();
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /api/processes/quiet/restart HTTP/1.1\r\n"
                + head("/api/processes/quiet/restart")
                + "Content-Length: 10\r\n\r\n{\"a\"")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    long sent = System.nanoTime();
    assertEquals(200, get("/api/health").statusCode(), "another request is answered meanwhile");
    Ended e = awaitEnd(s, BODY.plus(HEADERS).plusSeconds(10));
    assertEquals("", e.text(), "closed without an answer");
    // The body's time starts after the headers: not closed by the headers' limit alone. Timed from
    // the moment the headers left, however long the request above took on a busy machine.
    long closedAfter = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(closedAfter >= BODY.toMillis() - 300, "closed after " + closedAfter + " ms");
    api.assertNothingChanged(pids);
  }

  @Test
  void aBodyThatStallsIsClosedAfterTheLimitEvenWhenTheRequestIsRefusedOrIgnoresIt()
      throws Exception {
    Map<String, Long> pids = api.pids();
    // Refused before its body is read: the answer comes, then the connection ends at the limit
    // (the server reads what is left of a body before the next request).
    Socket refused = api.connect();
    refused
        .getOutputStream()
        .write(
            ("POST /api/processes/quiet/restart HTTP/1.1\r\nHost: 127.0.0.1:"
                    + api.port()
                    + "\r\nAuthorization: Bearer wrong\r\nContent-Length: 10\r\n\r\n{\"a\"")
                .getBytes(StandardCharsets.US_ASCII));
    // A GET with a body it does not need, and a chunked one that stops mid-chunk.
    Socket get = api.connect();
    get.getOutputStream()
        .write(
            ("GET /api/health HTTP/1.1\r\n" + head("/api/health") + "Content-Length: 10\r\n\r\nab")
                .getBytes(StandardCharsets.US_ASCII));
    Socket chunked = api.connect();
    chunked
        .getOutputStream()
        .write(
            ("POST /rpc HTTP/1.1\r\n"
                    + head("/rpc")
                    + "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"me")
                .getBytes(StandardCharsets.US_ASCII));
    Ended r = awaitEnd(refused, BODY.plusSeconds(10));
    assertTrue(r.text().startsWith("HTTP/1.1 401"), r.text());
    assertTrue(r.millis() >= BODY.toMillis() - 300, "closed after " + r.millis() + " ms");
    for (Socket s : List.of(get, chunked)) {
      assertEquals("", awaitEnd(s, BODY.plusSeconds(10)).text(), "closed without an answer");
    }
    assertEquals(200, get("/api/health").statusCode());
    api.assertNothingChanged(pids);
  }

  @Test
  void aSlowButTimelyClientIsAnswered() throws Exception {
    Map<String, Long> pids = api.pids();
    Socket s = api.connect();
    OutputStream out = s.getOutputStream();
    String request =
        "GET /api/health HTTP/1.1\r\n" + head("/api/health") + "Connection: close\r\n\r\n";
    // Headers spread over most of their time: each part in time, the whole in time.
    int third = request.length() / 3;
    for (int i = 0; i < 3; i++) {
      out.write(
          request
              .substring(i * third, i == 2 ? request.length() : (i + 1) * third)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (i < 2) Thread.sleep(HEADERS.toMillis() / 4); // the client's pace, not a wait for pmj
    }
    Ended e = awaitEnd(s, Duration.ofSeconds(10));
    assertTrue(e.text().startsWith("HTTP/1.1 200"), e.text());
    api.assertNothingChanged(pids);
  }

  @Test
  void theConnectionPastTheLimitIsClosedAtOnceAndPmjSaysSoOnce() throws Exception {
    // Stalled connections stay open for their whole time here, even under pressure, so that all
    // are open at once.
    serve(Duration.ofSeconds(10), Duration.ofSeconds(10));
    for (int i = 0; i < Connections.MAX; i++) {
      Socket s = api.connect();
      // Half send a byte and stall in their headers, half send nothing.
      if (i % 2 == 0) s.getOutputStream().write('G');
    }
    Socket over = api.connect();
    Ended e = awaitEnd(over, Duration.ofSeconds(5));
    assertEquals("", e.text());
    assertTrue(e.millis() < 3000, "the one over the limit was closed after " + e.millis() + " ms");
    String full =
        "the API has 128 connections open, its limit: it closes new ones at once, and those that"
            + " send no whole request within 10 s, until fewer are open";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!said.contains(full) && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(List.of(full), said);
    // More, while it is full: closed too, and not said again.
    for (int i = 0; i < 5; i++) {
      assertEquals("", awaitEnd(api.connect(), Duration.ofSeconds(5)).text());
    }
    // Once the stalled ones are closed (their time is out, or they leave), others are served.
    api.closeConnections();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int status = 0;
    while (System.nanoTime() < until) {
      try {
        status = get("/api/health").statusCode();
        break;
      } catch (IOException closed) {
        Thread.sleep(100);
      }
    }
    assertEquals(200, status);
    assertEquals(List.of(full), said, "said once");
  }

  @Test
  void underPressureStalledConnectionsAreClosedAfterAMomentAndTheRestGoesOn() throws Exception {
    // A full 10 s for headers: what closes them here is the pressure.
    serve(Duration.ofSeconds(10));
    Map<String, Long> pids = api.pids();
    // A stream open before the flood, and answered requests, are left alone.
    HttpResponse<InputStream> stream =
        api.http()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/events"))
                    .header("Authorization", "Bearer " + api.token())
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    long t0 = System.nanoTime();
    List<Socket> stalled = new ArrayList<>();
    // Partial heads, a body that stalls, one byte and nothing: up to the limit with the stream.
    for (Socket s : stallInHeaders()) stalled.add(s);
    Socket body = api.connect();
    body.getOutputStream()
        .write(
            ("POST /api/processes/quiet/restart HTTP/1.1\r\n"
                    + head("/api/processes/quiet/restart")
                    + "Content-Length: 10\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
    stalled.add(body);
    while (stalled.size() < Connections.MAX - 1) {
      Socket s = api.connect();
      if (stalled.size() % 2 == 0) s.getOutputStream().write('G');
      stalled.add(s);
    }
    // Shedding closes every connection past its grace while the pressure lasts, the oldest first:
    // the first 32 at least, or 96 would still be open. Younger ones may then keep their time.
    long first = -1;
    long last = 0;
    for (Socket s : stalled.subList(0, Connections.MAX - Connections.PRESSURE)) {
      Ended e = awaitEnd(s, Duration.ofSeconds(8));
      assertEquals("", e.text(), "closed without an answer");
      last = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (first < 0) first = last;
    }
    System.out.println(
        "the first stalled connection was closed after "
            + first
            + " ms, the 32 oldest within "
            + last
            + " ms");
    // Not before its grace (it was the first opened, and the first closed).
    assertTrue(first >= STALLED.toMillis() - 100, "closed after " + first + " ms");
    assertEquals(200, get("/api/health").statusCode());
    assertEquals(1, api.server().openStreams(), "the stream is still open");
    stream.body().close();
    api.assertNothingChanged(pids);
    String full =
        "the API has 128 connections open, its limit: it closes new ones at once, and those that"
            + " send no whole request within 1 s, until fewer are open";
    assertTrue(said.stream().allMatch(full::equals), said.toString());
  }

  @Test
  void belowPressureAStalledConnectionKeepsItsWholeTime() throws Exception {
    serve(Duration.ofSeconds(10));
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < Connections.PRESSURE - 10; i++) {
      Socket s = api.connect();
      if (i % 2 == 0) s.getOutputStream().write('G');
      stalled.add(s);
    }
    // Twice the grace and more: still open, the first and the last alike.
    for (Socket s : List.of(stalled.get(0), stalled.get(1), stalled.get(stalled.size() - 1))) {
      s.setSoTimeout((int) STALLED.multipliedBy(2).toMillis() + 500);
      try {
        int r = s.getInputStream().read();
        throw new AssertionError("a stalled connection ended before its time (read " + r + ")");
      } catch (SocketTimeoutException stillOpen) {
        // as it should be
      }
    }
    assertEquals(200, get("/api/health").statusCode());
    assertEquals(List.of(), said);
  }

  @Test
  void connectionsThatEndBadlyAreNotCountedForever() throws Exception {
    // Clients that vanish mid-body, mid-headers or mid-answer, more of them than the limit: the
    // server must forget each, or the limit would lock every client out.
    for (int round = 0; round < Connections.MAX + 40; round++) {
      try (Socket s = new Socket("127.0.0.1", api.port())) {
        OutputStream out = s.getOutputStream();
        switch (round % 3) {
          case 0 ->
              out.write(
                  ("POST /rpc HTTP/1.1\r\n" + head("/rpc") + "Content-Length: 100\r\n\r\n{")
                      .getBytes(StandardCharsets.US_ASCII));
          case 1 -> out.write("GET /api/proc".getBytes(StandardCharsets.US_ASCII));
          default ->
              out.write(
                  ("GET /api/logs HTTP/1.1\r\n" + head("/api/logs") + "\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        s.setSoLinger(true, 0); // a reset, as a client that crashed leaves
      }
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      Socket s = api.connect();
      s.getOutputStream()
          .write(
              ("GET /api/health HTTP/1.1\r\n" + head("/api/health") + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String text = awaitEnd(s, Duration.ofSeconds(10)).text();
      if (text.startsWith("HTTP/1.1 200")) break;
      assertTrue(System.nanoTime() < until, "still refused: " + text);
      Thread.sleep(100);
    }
    // Whether the limit was briefly reached while the server caught up with the resets depends on
    // the machine's speed; what matters is that it answers again, above.
  }

  @Test
  void headIsAnsweredWhereverGetIsWithItsStatusAndHeadersAndNoBody() throws Exception {
    for (String path :
        List.of(
            "/api/processes",
            "/api/processes/quiet",
            "/api/project",
            "/api/health",
            "/metrics",
            "/",
            "/assets/app.js",
            "/api/logs?tail=5",
            "/api/processes/quiet/logs",
            "/api/events",
            "/api/processes/quiet/logs?follow=true")) {
      HttpResponse<String> head = call("HEAD", path);
      assertEquals("", head.body(), path);
      boolean stream = path.contains("events") || path.contains("follow");
      HttpResponse<String> get;
      if (stream) {
        // A stream's GET never ends: its status and headers are enough.
        HttpResponse<InputStream> g =
            api.http()
                .send(
                    HttpRequest.newBuilder(URI.create(api.base() + path))
                        .header("Authorization", "Bearer " + api.token())
                        .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        g.body().close();
        assertEquals(g.statusCode(), head.statusCode(), path);
        assertEquals(headers(g.headers()), headers(head.headers()), path);
        continue;
      }
      get = get(path);
      assertEquals(get.statusCode(), head.statusCode(), path);
      assertEquals(headers(get.headers()), headers(head.headers()), path);
      String length = get.headers().firstValue("Content-Length").orElse(null);
      if (length != null) {
        assertTrue(head.headers().firstValue("Content-Length").isPresent(), path);
        // These do not change between two requests: the same length exactly.
        if (path.equals("/") || path.startsWith("/assets/")) {
          assertEquals(length, head.headers().firstValue("Content-Length").get(), path);
        }
      }
    }
    // Where GET is refused, HEAD is refused alike, and a HEAD changes nothing.
    assertEquals(405, call("HEAD", "/api/shutdown").statusCode());
    assertEquals(404, call("HEAD", "/api/processes/nope").statusCode());
    HttpResponse<String> noToken =
        api.http()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/processes"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, noToken.statusCode());
    assertEquals("", noToken.body());
    assertFalse(api.stack().shutdownAskedBy.isDone());
  }

  /** The headers, but for those that differ by nature: the date, and a length of live figures. */
  private static Map<String, List<String>> headers(HttpHeaders h) {
    Map<String, List<String>> m = new TreeMap<>();
    h.map()
        .forEach(
            (k, v) -> {
              String key = k.toLowerCase();
              // The page's policy carries a nonce of its own each time it is served.
              if (key.equals("content-security-policy"))
                v = v.stream().map(p -> p.replaceAll("'nonce-[^']*'", "'nonce-N'")).toList();
              if (!key.equals("date") && !key.equals("content-length")) m.put(key, v);
            });
    return m;
  }

  @Test
  void aDuplicatedKeyIs400NamingTheKeyAndNothingHappens() throws Exception {
    Map<String, Long> pids = api.pids();
    HttpResponse<String> rpc =
        api.call(
            "POST",
            "/rpc",
            "{\"method\": \"restart\", \"params\": \"quiet\", \"method\": \"list\"}");
    assertEquals(400, rpc.statusCode(), rpc.body());
    assertEquals(
        "Parse error: duplicate key \"method\" at line 1, column 42",
        Json.string(Json.object(Json.parse(rpc.body())), "error"));
    HttpResponse<String> nested =
        api.call(
            "POST", "/rpc", "{\"method\": \"start\", \"params\": {\"id\": \"a\", \"id\": \"b\"}}");
    assertEquals(400, nested.statusCode(), nested.body());
    assertEquals(
        "Parse error: duplicate key \"id\" at line 1, column 43",
        Json.string(Json.object(Json.parse(nested.body())), "error"));
    HttpResponse<String> add =
        api.call("POST", "/api/processes", "{\"id\": \"x\", \"command\": \"true\", \"id\": \"y\"}");
    assertEquals(400, add.statusCode(), add.body());
    assertEquals(
        "request body:1:32: id: duplicate key (first defined at line 1)",
        Json.string(Json.object(Json.parse(add.body())), "error"));
    api.assertNothingChanged(pids);
    assertEquals(
        List.of("ticker", "quiet"), api.local().processes().stream().map(ProcessInfo::id).toList());
  }

  @Test
  void refusedRequestsAreCountedAndSaidOncePerPeriod() throws Exception {
    Map<String, Long> pids = api.pids();
    long t0 = System.nanoTime();
    // The dashboard's address with a wrong token counts too.
    assertEquals(
        401,
        api.http()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/?token=wrong")).build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          api.http()
              .send(
                  HttpRequest.newBuilder(URI.create(api.base() + "/api/processes/quiet/restart"))
                      .header("Authorization", "Bearer wrong" + i)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode());
    }
    try (Socket s = new Socket("127.0.0.1", api.port())) {
      s.getOutputStream()
          .write(
              ("GET /api/processes HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer "
                      + api.token()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertTrue(awaitEnd(s, Duration.ofSeconds(10)).text().startsWith("HTTP/1.1 403"));
    }
    long sent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(sent < REFUSALS.toMillis(), "the requests took " + sent + " ms");
    assertEquals(List.of(), said, "not said at once: counted first");
    String line =
        "the API refused 5 requests in the last 5 s: 4 without this run's token (401), 1 from"
            + " another Host or Origin (403)";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (said.isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(List.of(line), said);
    // Later ones are said in the next period, in a line of their own.
    assertEquals(
        401,
        api.http()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/health")).build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (said.size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(
        List.of(
            line, "the API refused 1 request in the last 5 s: 1 without this run's token (401)"),
        said);
    api.assertNothingChanged(pids);
  }
}
