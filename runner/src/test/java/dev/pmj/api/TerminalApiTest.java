package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The terminal endpoints as a client sees them (README, "From a second terminal"): a prompt
 * answered through {@code POST input} and seen on the {@code terminal} stream, a resize seen by the
 * program, and every request that is refused: its status, its JSON error, and nothing typed or
 * changed.
 */
class TerminalApiTest {
  @RegisterExtension
  final RunningApi api = RunningApi.of(TerminalContract.YAML).heartbeat(Duration.ofMillis(500));

  private InputStream open;

  @AfterEach
  void closeStream() throws Exception {
    if (open != null) open.close();
  }

  /** The events of a terminal stream, read on a thread of their own: {event, data}. */
  private LinkedBlockingQueue<String[]> follow(String id) throws Exception {
    HttpResponse<InputStream> r =
        api.http()
            .send(
                api.request("/api/processes/" + id + "/terminal")
                    .header("Authorization", "Bearer " + api.token())
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    open = r.body();
    LinkedBlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(open, StandardCharsets.UTF_8))) {
                String event = "message";
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith("event: ")) event = line.substring(7);
                  if (line.startsWith("data: "))
                    events.add(new String[] {event, line.substring(6)});
                  if (line.isEmpty()) event = "message";
                }
              } catch (Exception e) {
                // closed
              }
            });
    t.setDaemon(true);
    t.start();
    return events;
  }

  /** Reads events until the decoded output holds {@code text}; fails after 20 s. */
  private static String awaitOutput(
      LinkedBlockingQueue<String[]> events, ByteArrayOutputStream seen, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
      String[] e = events.poll(100, TimeUnit.MILLISECONDS);
      if (System.nanoTime() > deadline) throw new AssertionError("no " + text + " in " + seen);
      if (e != null && e[0].equals("output")) seen.writeBytes(Base64.getDecoder().decode(e[1]));
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  private static String[] awaitEvent(LinkedBlockingQueue<String[]> events, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String[] e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && e[0].equals(name)) return e;
    }
    throw new AssertionError("no " + name + " event");
  }

  private HttpRequest.Builder post(String path, HttpRequest.BodyPublisher body) {
    return api.request(path)
        .header("Authorization", "Bearer " + api.token())
        .header("X-Pmj-Client", "test")
        .POST(body);
  }

  private HttpResponse<String> input(String id, byte[] keys) throws Exception {
    return api.send(
        post("/api/processes/" + id + "/input", HttpRequest.BodyPublishers.ofByteArray(keys))
            .header("Content-Type", "application/octet-stream"));
  }

  private HttpResponse<String> resize(String id, String json) throws Exception {
    return api.send(
        post("/api/processes/" + id + "/resize", HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json"));
  }

  @Test
  void anAnswerPostedAsInputIsSeenOnTheTerminalStreamThenTheExit() throws Exception {
    LinkedBlockingQueue<String[]> events = follow("ask");
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    awaitOutput(events, seen, "continue? [y/N] ");
    HttpResponse<String> r = input("ask", "y\r".getBytes(StandardCharsets.UTF_8));
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("", r.body());
    String text = awaitOutput(events, seen, "answer: y tty=True");
    assertTrue(text.startsWith("continue? [y/N] y"), text);
    assertEquals("{\"state\":\"exited\",\"code\":0}", awaitEvent(events, "exit")[1]);
  }

  @Test
  void aResizeReachesTheProgramAndARestartIsFollowed() throws Exception {
    LinkedBlockingQueue<String[]> events = follow("size");
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    awaitOutput(events, seen, "size 80 24");
    HttpResponse<String> r = resize("size", "{\"cols\": 120, \"rows\": 40}");
    assertEquals(204, r.statusCode(), r.body());
    awaitOutput(events, seen, "size 120 40");
    long before = api.local().process("size").pid();
    assertEquals(202, api.call("POST", "/api/processes/size/restart", "").statusCode());
    String[] exit = awaitEvent(events, "exit");
    assertTrue(exit[1].startsWith("{\"state\":\""), exit[1]);
    String[] restart = awaitEvent(events, "restart");
    long pid = Json.number(Json.object(Json.parse(restart[1])), "pid", 0);
    assertTrue(pid > 0 && pid != before, restart[1]);
    assertEquals(pid, (long) api.until(() -> api.local().process("size").pid(), p -> p == pid));
    // The new terminal's bytes come after the mark, at the size asked for last.
    seen.reset();
    awaitOutput(events, seen, "size 120 40");
  }

  /** Status, exact JSON error, and the prompt untouched, every process as it was. */
  private void refused(int status, String error, HttpResponse<String> r, Map<String, Long> pids)
      throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        "application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(Json.toJson(Map.of("error", error)), r.body());
    api.assertNothingChanged(pids);
  }

  @Test
  void everyRefusedRequestSaysWhyAndTypesNothing() throws Exception {
    api.until(
        () -> new String(api.stack().supervisor.terminalOutput("ask"), StandardCharsets.UTF_8),
        t -> t.equals("continue? [y/N] "));
    // The size it starts with, before any refused resize could change it.
    api.until(
        () -> new String(api.stack().supervisor.terminalOutput("size"), StandardCharsets.UTF_8),
        t -> t.equals("size 80 24\r\n"));
    Map<String, Long> pids = api.pids();
    byte[] keys = "y\r".getBytes(StandardCharsets.UTF_8);
    String input = "/api/processes/ask/input";

    refused(409, "plain is not interactive", input("plain", keys), pids);
    refused(409, "plain is not interactive", resize("plain", "{\"cols\":80,\"rows\":24}"), pids);
    refused(
        409,
        "plain is not interactive",
        api.call("GET", "/api/processes/plain/terminal", null),
        pids);
    String unknown = "no process \"nope\" (processes: ask, size, plain)";
    refused(404, unknown, input("nope", keys), pids);
    refused(404, unknown, resize("nope", "{\"cols\":80,\"rows\":24}"), pids);
    refused(404, unknown, api.call("GET", "/api/processes/nope/terminal", null), pids);
    refused(
        401,
        "missing or wrong token: send Authorization: Bearer TOKEN (the token is in .pmj/state.json), or open the address pmj up printed",
        api.send(
            api.request(input)
                .header("X-Pmj-Client", "test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(keys))),
        pids);
    refused(
        403,
        "Origin http://evil.example may not change anything here",
        api.send(
            post(input, HttpRequest.BodyPublishers.ofByteArray(keys))
                .header("Origin", "http://evil.example")),
        pids);
    String needsClient =
        "typing into a terminal needs the header X-Pmj-Client (any name for the client, e.g."
            + " X-Pmj-Client: my-script)";
    for (String path : new String[] {input, "/api/processes/size/resize"}) {
      refused(
          403,
          needsClient,
          api.send(
              api.request(path)
                  .header("Authorization", "Bearer " + api.token())
                  .POST(HttpRequest.BodyPublishers.ofString("{\"cols\":80,\"rows\":24}"))),
          pids);
    }
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) 'y');
    refused(413, "request body over 64 KiB", input("ask", big), pids);
    refused(400, "send {\"cols\": N, \"rows\": N}", resize("size", "[80, 24]"), pids);
    refused(
        400,
        "cols must be a whole number from 1 to 1000 (got 0)",
        resize("size", "{\"cols\":0,\"rows\":24}"),
        pids);
    refused(
        400,
        "rows must be a whole number from 1 to 1000 (got \"24\")",
        resize("size", "{\"cols\":80,\"rows\":\"24\"}"),
        pids);
    refused(
        400,
        "rows must be a whole number from 1 to 1000 (got null)",
        resize("size", "{\"cols\":80}"),
        pids);
    HttpResponse<String> malformed = resize("size", "{\"cols\":");
    assertEquals(400, malformed.statusCode(), malformed.body());
    api.assertNothingChanged(pids);

    // Nothing reached the prompt, and a size refused left the program's as it was.
    assertArrayEquals(
        "continue? [y/N] ".getBytes(StandardCharsets.UTF_8),
        api.stack().supervisor.terminalOutput("ask"));
    assertEquals(
        "size 80 24\r\n",
        new String(api.stack().supervisor.terminalOutput("size"), StandardCharsets.UTF_8));
    // The exact input then goes through.
    assertEquals(204, input("ask", keys).statusCode());
  }
}
