package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Tools;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP API as a client sees it: statuses, headers, JSON errors, streams, and bad input. */
class ApiHttpTest {
  @RegisterExtension
  final RunningApi api = RunningApi.of(RunningApi.TWO_PROCESSES).heartbeat(Duration.ofMillis(200));

  private static String error(HttpResponse<String> r) {
    return Json.string(Json.object(Json.parse(r.body())), "error");
  }

  private void assertJsonError(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        "application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(error(r) != null && !error(r).isBlank(), r.body());
    assertTrue(
        r.headers().map().keySet().stream()
            .noneMatch(h -> h.toLowerCase().startsWith("access-control")),
        "no CORS header is ever sent: " + r.headers().map());
  }

  /** Every endpoint, with a method it takes and a body that would be accepted. */
  static Stream<String[]> endpoints() {
    return Stream.of(
        new String[] {"GET", "/api/project", null},
        new String[] {"GET", "/api/processes", null},
        new String[] {"POST", "/api/processes", "{\"id\": \"x\", \"command\": \"sleep 1000\"}"},
        new String[] {"GET", "/api/processes/quiet", null},
        new String[] {"DELETE", "/api/processes/quiet", null},
        new String[] {"POST", "/api/processes/quiet/start", ""},
        new String[] {"POST", "/api/processes/quiet/stop", ""},
        new String[] {"POST", "/api/processes/quiet/restart", ""},
        new String[] {"POST", "/api/processes/all/restart", ""},
        new String[] {"GET", "/api/processes/quiet/logs", null},
        new String[] {"GET", "/api/processes/quiet/terminal", null},
        new String[] {"POST", "/api/processes/quiet/input", "y"},
        new String[] {"POST", "/api/processes/quiet/resize", "{\"cols\": 80, \"rows\": 24}"},
        new String[] {"POST", "/api/processes/quiet/scale", "{\"instances\": 2}"},
        new String[] {"GET", "/api/logs", null},
        new String[] {"GET", "/api/events", null},
        new String[] {"GET", "/api/health", null},
        new String[] {"POST", "/api/reload", ""},
        new String[] {"POST", "/api/shutdown", ""},
        new String[] {
          "POST", "/rpc", "{\"method\": \"restart\", \"params\": \"quiet\", \"id\": 1}"
        },
        new String[] {"GET", "/metrics", null},
        new String[] {"GET", "/", null});
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void aMissingOrWrongTokenIs401AndNothingHappens(String method, String path, String body)
      throws Exception {
    Map<String, Long> pids = api.pids();
    HttpRequest.BodyPublisher b =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    List<HttpRequest.Builder> wrong =
        List.of(
            api.request(path).method(method, b),
            api.request(path)
                .method(method, b)
                .header("Authorization", "Bearer " + Token.randomText()),
            api.request(path).method(method, b).header("Authorization", "Bearer "),
            api.request(path)
                .method(method, b)
                .header("Cookie", "pmj_token_" + api.port() + "=nope"),
            api.request(path)
                .method(method, b)
                .header("Authorization", "Bearer " + api.token().substring(1)));
    for (HttpRequest.Builder w : wrong) {
      HttpResponse<String> r = api.send(w);
      if (path.equals("/")) {
        // The dashboard's page: what to open instead, for a person in a browser.
        assertEquals(401, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("Open the address <code>pmj up</code> printed"), r.body());
      } else {
        assertJsonError(401, r);
      }
    }
    api.assertNothingChanged(pids);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void aForeignHostIsRefusedAndNothingHappens(String method, String path, String body)
      throws Exception {
    Map<String, Long> pids = api.pids();
    for (String host : List.of("evil.example:" + api.port(), "127.0.0.1:1", "localhost", "")) {
      String response = raw(method, path, host, body, api.token());
      assertTrue(response.startsWith("HTTP/1.1 403"), host + " -> " + response);
      assertTrue(response.contains("\"error\":\"Host must be 127.0.0.1:"), response);
    }
    api.assertNothingChanged(pids);
  }

  /** A request written by hand: the JDK client does not let a test choose the Host header. */
  private String raw(String method, String path, String host, String body, String token)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", api.port())) {
      s.setSoTimeout(20_000);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String head =
          method
              + " "
              + path
              + " HTTP/1.1\r\n"
              + (host.isEmpty() ? "" : "Host: " + host + "\r\n")
              + "Authorization: Bearer "
              + token
              + "\r\n"
              + "Content-Length: "
              + b.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void localhostIsAnAllowedHostToo() throws Exception {
    String response = raw("GET", "/api/processes", "localhost:" + api.port(), null, api.token());
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
  }

  @Test
  void anUnknownProcessIs404JsonAndNothingHappens() throws Exception {
    Map<String, Long> pids = api.pids();
    assertJsonError(404, api.call("GET", "/api/processes/nope", null));
    assertEquals(
        "no process \"nope\" (processes: ticker, quiet)",
        error(api.call("GET", "/api/processes/nope", null)));
    for (String action : List.of("start", "stop", "restart")) {
      assertJsonError(404, api.call("POST", "/api/processes/nope/" + action, ""));
    }
    assertJsonError(404, api.call("DELETE", "/api/processes/nope", null));
    assertJsonError(404, api.call("GET", "/api/processes/nope/logs", null));
    assertJsonError(404, api.call("GET", "/api/logs?ids=quiet,nope", null));
    assertJsonError(404, api.call("GET", "/api/nothing-here", null));
    api.assertNothingChanged(pids);
  }

  static Stream<String[]> wrongMethods() {
    return Stream.of(
        new String[] {"POST", "/api/project", "GET"},
        new String[] {"PUT", "/api/processes", "GET, POST"},
        new String[] {"POST", "/api/processes/quiet", "GET, DELETE"},
        new String[] {"GET", "/api/processes/quiet/restart", "POST"},
        new String[] {"DELETE", "/api/processes/quiet/start", "POST"},
        new String[] {"POST", "/api/processes/quiet/logs", "GET"},
        new String[] {"POST", "/api/logs", "GET"},
        new String[] {"POST", "/api/events", "GET"},
        new String[] {"DELETE", "/api/health", "GET"},
        new String[] {"GET", "/api/shutdown", "POST"},
        new String[] {"GET", "/api/reload", "POST"},
        new String[] {"GET", "/api/processes/quiet/scale", "POST"},
        new String[] {"GET", "/rpc", "POST"},
        new String[] {"POST", "/metrics", "GET"});
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void aWrongMethodIs405WithTheAllowedOnesAndNothingHappens(
      String method, String path, String allowed) throws Exception {
    Map<String, Long> pids = api.pids();
    HttpResponse<String> r = api.call(method, path, method.equals("GET") ? null : "");
    assertJsonError(405, r);
    assertEquals(allowed, r.headers().firstValue("Allow").orElse(""));
    api.assertNothingChanged(pids);
  }

  @Test
  void malformedJsonIs400AndNothingHappens() throws Exception {
    Map<String, Long> pids = api.pids();
    HttpResponse<String> r = api.call("POST", "/api/processes", "{\"id\": \"x\", ");
    assertJsonError(400, r);
    assertTrue(error(r).startsWith("request body:1:"), error(r));
    assertJsonError(400, api.call("POST", "/api/processes", "[1, 2]"));
    assertJsonError(400, api.call("POST", "/api/processes", ""));
    HttpResponse<String> rpc = api.call("POST", "/rpc", "{\"method\": ");
    assertJsonError(400, rpc);
    assertTrue(error(rpc).startsWith("Parse error: not valid JSON at line 1, column"), error(rpc));
    assertJsonError(400, api.call("GET", "/api/logs?tail=many", null));
    assertEquals(
        "tail must be a whole number, 0 or more (got \"-1\")",
        error(api.call("GET", "/api/logs?tail=-1", null)));
    assertJsonError(400, api.call("GET", "/api/logs?since=x", null));
    assertJsonError(400, api.call("GET", "/api/logs?follow=maybe", null));
    api.assertNothingChanged(pids);
  }

  @Test
  void scaleAnswersWhatItDidAndABadCountIs400AnUnknownId404AnInstanceOrAddedOne409()
      throws Exception {
    Map<String, Long> pids = api.pids();
    String path = "/api/processes/quiet/scale";
    for (String[] c :
        new String[][] {
          {"{\"instances\": -1}", "instances must be a whole number from 0 to 64 (got -1)"},
          {"{\"instances\": 65}", "instances must be a whole number from 0 to 64 (got 65)"},
          {"{\"instances\": \"3\"}", "instances must be a whole number from 0 to 64 (got \"3\")"},
          {"{\"instances\": 2.5}", "instances must be a whole number from 0 to 64 (got 2.5)"},
          {"{}", "instances must be a whole number from 0 to 64 (got null)"},
          {"[2]", "send {\"instances\": N}"},
        }) {
      HttpResponse<String> r = api.call("POST", path, c[0]);
      assertJsonError(400, r);
      assertEquals(c[1], error(r), c[0]);
    }
    assertJsonError(400, api.call("POST", path, "{\"instances\": "));
    HttpResponse<String> unknown =
        api.call("POST", "/api/processes/nope/scale", "{\"instances\": 2}");
    assertJsonError(404, unknown);
    assertEquals("no process \"nope\" (processes: ticker, quiet)", error(unknown));
    api.assertNothingChanged(pids);
    HttpResponse<String> up = api.call("POST", path, "{\"instances\": 2}");
    assertEquals(202, up.statusCode(), up.body());
    assertEquals(
        "{\"id\":\"quiet\",\"from\":1,\"to\":2,\"started\":[\"quiet.2\"],\"stopped\":[],\"removed\":[]}",
        up.body());
    HttpResponse<String> same = api.call("POST", path, "{\"instances\": 2}");
    assertEquals(200, same.statusCode(), same.body());
    HttpResponse<String> instance =
        api.call("POST", "/api/processes/quiet.2/scale", "{\"instances\": 3}");
    assertJsonError(409, instance);
    assertEquals(
        "quiet.2 is an instance of quiet; scale the process: pmj scale quiet=N", error(instance));
    assertEquals(
        201,
        api.call("POST", "/api/processes", "{\"id\": \"x\", \"command\": \"sleep 1000\"}")
            .statusCode());
    HttpResponse<String> adHoc = api.call("POST", "/api/processes/x/scale", "{\"instances\": 2}");
    assertJsonError(409, adHoc);
    assertEquals(pids.get("ticker"), api.pids().get("ticker"));
    assertEquals(pids.get("quiet"), api.pids().get("quiet"));
  }

  @Test
  void aBadProcessDefinitionIs400WithEveryProblemAndATakenIdIs409() throws Exception {
    Map<String, Long> pids = api.pids();
    HttpResponse<String> r =
        api.call(
            "POST",
            "/api/processes",
            "{\"id\": \"x\", \"command\": \"true\", \"restrat\": \"always\", \"backoff\": 5}");
    assertJsonError(400, r);
    var problems = Json.list(Json.object(Json.parse(r.body())).get("problems"));
    assertEquals(
        List.of(
            "request body:1:32: processes.x.restrat: unknown key (did you mean \"restart\"?)",
            "request body:1:64: processes.x.backoff: must be a duration such as 250ms, 5s, 2m or 1h30m (got 5: a bare number has no unit; write \"5s\" or \"5ms\")"),
        problems);
    assertJsonError(
        409, api.call("POST", "/api/processes", "{\"id\": \"quiet\", \"command\": \"true\"}"));
    assertEquals(
        "\"quiet\" is declared in pmj.yaml; only processes added at run time can be removed (stop it instead)",
        error(api.call("DELETE", "/api/processes/quiet", null)));
    api.assertNothingChanged(pids);
  }

  @Test
  void aReservedOrOverlongIdIs400WithTheLoadersTextAndNothingIsAdded() throws Exception {
    Map<String, Long> pids = api.pids();
    for (String[] c :
        new String[][] {
          {
            "pmj",
            "request body:1:8: id: the id \"pmj\" is reserved (pmj's own lines carry it); choose another"
          },
          {
            "all",
            "request body:1:8: id: the id \"all\" is reserved (pmj restart all means every process); choose another"
          },
          {
            "x".repeat(65),
            "request body:1:8: id: id of 65 characters; ids are at most 64 (every line of output starts with one)"
          },
          {
            "x".repeat(5000),
            "request body:1:8: id: id of 5000 characters; ids are at most 64 (every line of output starts with one)"
          }
        }) {
      HttpResponse<String> r =
          api.call(
              "POST", "/api/processes", "{\"id\": \"" + c[0] + "\", \"command\": \"sleep 1000\"}");
      assertJsonError(400, r);
      assertEquals(c[1], error(r));
    }
    assertEquals(
        201,
        api.call(
                "POST",
                "/api/processes",
                "{\"id\": \""
                    + "y".repeat(64)
                    + "\", \"command\": \"true\", \"restart\": \"never\"}")
            .statusCode(),
        "64 characters are allowed");
    assertEquals(202, api.call("DELETE", "/api/processes/" + "y".repeat(64), null).statusCode());
    api.until(() -> api.local().processes().size(), n -> n == 2);
    api.assertNothingChanged(pids);
  }

  @Test
  void aBodyOver64KiBIs413AndNothingHappens() throws Exception {
    Map<String, Long> pids = api.pids();
    String big = "{\"id\": \"x\", \"command\": \"true\", \"pad\": \"" + "x".repeat(70_000) + "\"}";
    for (String path :
        List.of(
            "/api/processes",
            "/api/processes/quiet/restart",
            "/api/shutdown",
            "/rpc",
            "/api/processes/all/stop")) {
      assertJsonError(413, api.call("POST", path, big));
    }
    assertJsonError(413, api.call("DELETE", "/api/processes/quiet", big));
    api.assertNothingChanged(pids);
  }

  @Test
  void aForeignOriginCannotChangeStateButTheSameOriginCan() throws Exception {
    Map<String, Long> pids = api.pids();
    HttpResponse<String> r =
        api.send(
            api.request("/api/processes/quiet/restart")
                .header("Authorization", "Bearer " + api.token())
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertJsonError(403, r);
    assertJsonError(
        403,
        api.send(
            api.request("/api/shutdown")
                .header("Authorization", "Bearer " + api.token())
                .header("Origin", "null")
                .POST(HttpRequest.BodyPublishers.noBody())));
    api.assertNothingChanged(pids);
    HttpResponse<String> same =
        api.send(
            api.request("/api/processes/quiet/restart")
                .header("Authorization", "Bearer " + api.token())
                .header("Origin", "http://127.0.0.1:" + api.port())
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(202, same.statusCode(), same.body());
    HttpResponse<String> read =
        api.send(
            api.request("/api/processes")
                .header("Authorization", "Bearer " + api.token())
                .header("Origin", "http://evil.example"));
    assertEquals(200, read.statusCode());
    assertTrue(read.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void theDashboardAddressSetsAnHttpOnlyStrictCookiePerPortAndDropsTheToken() throws Exception {
    HttpResponse<String> r = api.send(api.request("/?token=" + api.token()));
    // A page that sends the browser on to / itself (so that the Strict cookie goes with it).
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<meta http-equiv=\"refresh\" content=\"0;url=/\">"), r.body());
    assertFalse(r.body().contains(api.token()));
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    String cookie = r.headers().firstValue("Set-Cookie").orElse("");
    assertEquals(
        "pmj_token_" + api.port() + "=" + api.token() + "; Path=/; HttpOnly; SameSite=Strict",
        cookie);
    HttpResponse<String> withCookie =
        api.send(
            api.request("/api/processes")
                .header("Cookie", "pmj_token_" + api.port() + "=" + api.token()));
    assertEquals(200, withCookie.statusCode());
    // Another pmj's cookie (another port's name) and the old name count for nothing here, and
    // this pmj's cookie is found among others.
    int other = api.port() == 65535 ? 65534 : api.port() + 1;
    for (String c :
        List.of(
            "pmj_token_" + other + "=" + api.token(),
            "pmj_token=" + api.token(),
            "pmj_token_" + api.port() + "0=" + api.token())) {
      assertEquals(
          401, api.send(api.request("/api/processes").header("Cookie", c)).statusCode(), c);
    }
    assertEquals(
        200,
        api.send(
                api.request("/api/processes")
                    .header(
                        "Cookie",
                        "pmj_token_" + other + "=x; pmj_token_" + api.port() + "=" + api.token()))
            .statusCode());
    HttpResponse<String> wrong = api.send(api.request("/?token=" + Token.randomText()));
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
  }

  @Test
  void commandsAre202WhenAcceptedAnd200WhenNothingChanges() throws Exception {
    HttpResponse<String> stop = api.call("POST", "/api/processes/quiet/stop", "");
    assertEquals(202, stop.statusCode(), stop.body());
    assertEquals("quiet", Codec.info(Json.parse(stop.body())).id());
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.STOPPED);
    HttpResponse<String> again = api.call("POST", "/api/processes/quiet/stop", "");
    assertEquals(200, again.statusCode());
    assertEquals(ProcessState.STOPPED, Codec.info(Json.parse(again.body())).state());
    HttpResponse<String> all = api.call("POST", "/api/processes/all/start", "");
    assertEquals(202, all.statusCode());
    assertEquals(2, Codec.infos(Json.parse(all.body())).size());
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.READY);
    assertEquals(200, api.call("POST", "/api/processes/quiet/start", "").statusCode());
  }

  @Test
  void healthIs200WhenEverythingIsUpAnd503NamingWhatIsNot() throws Exception {
    HttpResponse<String> ok = api.call("GET", "/api/health", null);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("{\"healthy\":true,\"notUp\":[]}", ok.body());
    api.call("POST", "/api/processes/quiet/stop", "");
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.STOPPED);
    HttpResponse<String> down = api.call("GET", "/api/health", null);
    assertEquals(503, down.statusCode());
    assertEquals("{\"healthy\":false,\"notUp\":[\"quiet: stopped\"]}", down.body());
  }

  /** Reads Server-Sent Events from a stream: (id, event, data) until {@code n} data events. */
  private static List<String[]> readEvents(BufferedReader r, int n) throws Exception {
    List<String[]> out = new ArrayList<>();
    String id = null;
    String event = "message";
    StringBuilder data = new StringBuilder();
    String line;
    while (out.size() < n && (line = r.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0) out.add(new String[] {id, event, data.toString()});
        id = null;
        event = "message";
        data.setLength(0);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data.append(line.substring(6));
      }
    }
    return out;
  }

  private InputStream stream(String path, String lastEventId) throws Exception {
    HttpRequest.Builder b = api.request(path).header("Authorization", "Bearer " + api.token());
    if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
    HttpResponse<InputStream> r =
        api.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    return r.body();
  }

  @Test
  void followedLogsResumeAfterLastEventIdWithoutGapsOrRepeats() throws Exception {
    List<Integer> ticks = new ArrayList<>();
    String last;
    try (InputStream in = stream("/api/processes/ticker/logs?follow=true", null)) {
      List<String[]> first =
          readEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), 10);
      for (String[] e : first) {
        var line = Codec.line(Json.parse(e[2]));
        assertEquals(Long.parseLong(e[0]), line.seq(), "id: is the seq");
        // pmj's lines about ticker come with its own ("ticker: started (pid N)").
        if (line.id().equals("pmj")) assertTrue(line.text().startsWith("ticker: "), line.text());
        else ticks.add(Integer.parseInt(line.text().substring(5)));
      }
      last = first.get(first.size() - 1)[0];
    }
    try (InputStream in = stream("/api/processes/ticker/logs?follow=true", last)) {
      for (String[] e :
          readEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), 10)) {
        assertTrue(Long.parseLong(e[0]) > Long.parseLong(last));
        ticks.add(Integer.parseInt(Codec.line(Json.parse(e[2])).text().substring(5)));
      }
    }
    for (int i = 0; i < ticks.size(); i++) assertEquals(i + 1, ticks.get(i), "ticks " + ticks);
  }

  @Test
  void aProcessSaysItsLastExitOneWayAndWhyItFailedAndItsLogsCarryPmjsLinesAboutIt()
      throws Exception {
    api.call("POST", "/api/processes/quiet/stop", "");
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.STOPPED);
    var quiet = Json.object(Json.parse(api.call("GET", "/api/processes/quiet", null).body()));
    assertEquals("SIGTERM", quiet.get("lastExit"));
    assertEquals("TERM", quiet.get("exitSignal"));
    assertEquals(143, ((Number) quiet.get("exitCode")).intValue());
    assertEquals("", quiet.get("reason"), "stopped: nothing to explain");

    HttpResponse<String> added =
        api.call("POST", "/api/processes", "{\"id\": \"gone\", \"command\": \"./nope\"}");
    assertEquals(201, added.statusCode(), added.body());
    api.until(() -> api.local().process("gone").state(), s -> s == ProcessState.FAILED);
    var gone = Json.object(Json.parse(api.call("GET", "/api/processes/gone", null).body()));
    assertEquals("failed", gone.get("state"));
    assertEquals("cannot start: ./nope: no such file", gone.get("reason"));
    assertNull(gone.get("lastExit"), "it never ran");

    // pmj's line that it was added and the one that it failed (their order is a race).
    List<String> lines =
        api.until(
            () -> {
              List<String> l = new ArrayList<>();
              try {
                for (Object o :
                    Json.list(Json.parse(api.call("GET", "/api/processes/gone/logs", null).body())))
                  l.add(
                      Json.string(Json.object(o), "id")
                          + " | "
                          + Json.string(Json.object(o), "text"));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
              return l;
            },
            l -> l.size() >= 2);
    assertEquals(
        List.of(
            "pmj | gone: added (API): ./nope",
            "pmj | gone: failed: cannot start: ./nope: no such file"),
        lines.stream().sorted().toList());
    assertEquals(
        "[]", api.call("GET", "/api/processes/gone/logs?pmj=false", null).body(), "left out");
  }

  @Test
  void eventsStartWithASnapshotAndCarryStateChangesAsJson() throws Exception {
    try (InputStream in = stream("/api/events", null)) {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] snapshot = readEvents(r, 1).get(0);
      assertEquals("snapshot", snapshot[1]);
      assertEquals(2, Json.list(Json.object(Json.parse(snapshot[2])).get("processes")).size());
      api.call("POST", "/api/processes/quiet/restart", "");
      List<String> lines = new ArrayList<>();
      while (!lines.contains("quiet: stopped (killed by SIGTERM)")) {
        String[] e = readEvents(r, 1).get(0);
        var o = Json.object(Json.parse(e[2]));
        if (e[1].equals("state") || e[1].equals("notice")) lines.add(Json.string(o, "line"));
      }
      assertEquals(
          List.of(
              "quiet: restarting (API)",
              "quiet: stopping (sending SIGTERM)",
              "quiet: stopped (killed by SIGTERM)"),
          lines.stream().filter(l -> l != null && l.startsWith("quiet:")).toList());
    }
  }

  @Test
  void aClientThatDoesNotReadIsDroppedWhileTheProcessesAndOtherClientsGoOn() throws Exception {
    ProcessInfo added =
        api.local()
            .add(
                "{\"id\": \"flood\", \"command\": [\"python3\", \""
                    + Fixtures.testdata("lines.py")
                    + "\", \"600000\", \"flood\"], \"restart\": \"never\"}",
                "test");
    try (Socket slow = new Socket("127.0.0.1", api.port())) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("GET /api/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1:"
                  + api.port()
                  + "\r\nAuthorization: Bearer "
                  + api.token()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // It never reads while the flood runs: the server must not wait for it.
      api.until(() -> api.local().process(added.id()).state(), s -> s == ProcessState.EXITED);
      assertEquals(600_000, api.local().process("flood").outputLines());
      // Another client is served, and another stream works, meanwhile.
      assertEquals(200, api.call("GET", "/api/processes", null).statusCode());
      try (InputStream in = stream("/api/processes/ticker/logs?follow=true&tail=1", null)) {
        assertEquals(
            1,
            readEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), 1)
                .size());
      }
      // The slow client was dropped: reading now, it reaches the end of a closed stream.
      slow.setSoTimeout(20_000);
      InputStream in = slow.getInputStream();
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) total += n;
      assertTrue(
          total < 600_000L * 60, "the dropped client got " + total + " bytes, not every line");
    }
    api.until(() -> api.server().openStreams(), n -> n == 0);
  }

  @Test
  void aClientThatVanishedIsFoundByTheNextWritesAndItsStreamEnds() throws Exception {
    Socket gone = new Socket("127.0.0.1", api.port());
    gone.getOutputStream()
        .write(
            ("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:"
                    + api.port()
                    + "\r\nAuthorization: Bearer "
                    + api.token()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    gone.getOutputStream().flush();
    api.until(() -> api.server().openStreams(), n -> n == 1);
    gone.setSoLinger(true, 0);
    gone.close();
    api.until(() -> api.server().openStreams(), n -> n == 0);
    assertEquals(200, api.call("GET", "/api/processes", null).statusCode());
  }

  @Test
  void jsonRpcSpeaksTheOriginalClientsProtocol() throws Exception {
    HttpResponse<String> list =
        api.call("POST", "/rpc", "{\"method\": \"LIST\", \"params\": null, \"id\": 7}");
    assertEquals(200, list.statusCode());
    var reply = Json.object(Json.parse(list.body()));
    assertEquals(List.of("result", "id"), new ArrayList<>(reply.keySet()));
    assertEquals(7L, reply.get("id"));
    var first = Json.object(Json.list(reply.get("result")).get(0));
    assertEquals(
        List.of("id", "name", "status", "pid", "restarts", "start_time", "uptime", "cpu", "memory"),
        new ArrayList<>(first.keySet()));
    assertEquals("ticker", first.get("id"));
    assertEquals("running", first.get("status"));
    assertTrue(((String) first.get("uptime")).matches("[0-9]+s"), first.toString());
    assertTrue(first.get("memory") instanceof Long);
    assertTrue(first.get("cpu") instanceof Double);
    assertTrue(first.get("pid") instanceof Long);

    var status =
        Json.object(
            Json.parse(
                api.call(
                        "POST",
                        "/rpc",
                        "{\"method\": \"status\", \"params\": \"quiet\", \"id\": \"a\"}")
                    .body()));
    assertEquals("quiet", Json.object(status.get("result")).get("name"));
    assertEquals("a", status.get("id"));

    long before = api.local().process("quiet").pid();
    var restart =
        Json.object(
            Json.parse(
                api.call(
                        "POST",
                        "/rpc",
                        "{\"method\": \"restart\", \"params\": \"quiet\", \"id\": 2}")
                    .body()));
    assertNull(restart.get("error"));
    api.until(
        () -> api.local().process("quiet"),
        p -> p.pid() != before && p.state() == ProcessState.READY);

    var stop =
        Json.object(
            Json.parse(
                api.call("POST", "/rpc", "{\"method\": \"stop\", \"params\": \"quiet\", \"id\": 3}")
                    .body()));
    assertNull(stop.get("error"));
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.STOPPED);
    assertEquals(
        "stopped",
        Json.object(
                Json.object(
                        Json.parse(
                            api.call(
                                    "POST",
                                    "/rpc",
                                    "{\"method\": \"status\", \"params\": \"quiet\", \"id\": 4}")
                                .body()))
                    .get("result"))
            .get("status"));
    api.call("POST", "/rpc", "{\"method\": \"start\", \"params\": \"quiet\", \"id\": 5}");
    api.until(() -> api.local().process("quiet").state(), s -> s == ProcessState.READY);

    String adhoc =
        "{\"method\": \"start\", \"id\": 6, \"params\": {\"name\": \"job\", \"command\": \"python3\", \"args\": [\""
            + Fixtures.testdata("echo.py")
            + "\", \"from rpc\"], \"working_dir\": \""
            + api.dir()
            + "\", \"restart\": \"on_failure\", \"max_restarts\": 3, \"log_file\": \"job.log\"}}";
    var started = Json.object(Json.parse(api.call("POST", "/rpc", adhoc).body()));
    assertNull(started.get("error"), started.toString());
    assertEquals("job", Json.object(started.get("result")).get("id"));
    ProcessInfo job =
        api.until(() -> api.local().process("job"), p -> p.state() == ProcessState.READY);
    assertTrue(job.adHoc());
    assertEquals("on-failure", api.stack().supervisor.spec("job").restart().policy().word());
    assertEquals(3, api.stack().supervisor.spec("job").restart().maxRetries());
    assertEquals(api.dir().resolve("job.log"), api.stack().supervisor.spec("job").logs().file());

    assertEquals(
        "{\"error\":\"Method not found\",\"id\":8}",
        api.call("POST", "/rpc", "{\"method\": \"delete\", \"params\": \"quiet\", \"id\": 8}")
            .body());
    for (String params : List.of("null", "42", "\"\"", "{}", "[\"a\", \"b\"]")) {
      assertEquals(
          "{\"error\":\"Invalid params\",\"id\":9}",
          api.call("POST", "/rpc", "{\"method\": \"stop\", \"params\": " + params + ", \"id\": 9}")
              .body());
    }
    assertEquals(
        "{\"error\":\"Invalid params\",\"id\":10}",
        api.call("POST", "/rpc", "{\"method\": \"list\", \"params\": \"x\", \"id\": 10}").body());
    assertEquals(
        "{\"error\":\"Process not found: nope\",\"id\":11}",
        api.call("POST", "/rpc", "{\"method\": \"status\", \"params\": \"nope\", \"id\": 11}")
            .body());
    assertNotEquals(ProcessState.STOPPED, api.local().process("ticker").state());
  }

  @Test
  void metricsAreValidPrometheusTextForPromtool() throws Exception {
    String promtool = Tools.require("promtool");
    api.until(() -> api.local().process("ticker").memoryBytes(), m -> m > 0);
    HttpResponse<String> r = api.call("GET", "/metrics", null);
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("Content-Type").orElse(""));
    String text = r.body();
    for (String family :
        List.of(
            "pmj_process_up",
            "pmj_process_state",
            "pmj_process_restarts_total",
            "pmj_process_cpu_seconds_total",
            "pmj_process_resident_memory_bytes",
            "pmj_process_start_time_seconds",
            "pmj_output_lines_total")) {
      assertTrue(text.contains("# TYPE " + family + " "), family);
    }
    assertTrue(text.contains("pmj_process_up{process=\"ticker\"} 1\n"), text);
    assertTrue(text.contains("pmj_process_state{process=\"quiet\",state=\"ready\"} 1\n"), text);
    assertTrue(text.contains("pmj_process_state{process=\"quiet\",state=\"stopped\"} 0\n"), text);
    Path file = api.dir().resolve("metrics.txt");
    Files.writeString(file, text);
    Process p =
        new ProcessBuilder(promtool, "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.strip(), "promtool has remarks");
  }

  @Test
  void streamsEndWhenTheServerCloses() throws Exception {
    InputStream in = stream("/api/events", null);
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    assertEquals("snapshot", readEvents(r, 1).get(0)[1]);
    api.closeServer();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try {
      while (r.readLine() != null) assertTrue(System.nanoTime() < deadline);
    } catch (java.io.IOException e) {
      // closed: as good as the end
    }
  }
}
