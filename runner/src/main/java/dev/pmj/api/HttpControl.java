package dev.pmj.api;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Control} over HTTP, for the CLI in a second terminal: the same calls, answered by a
 * running pmj's API. HTTP statuses come back as the same {@link ControlException} kinds.
 */
public final class HttpControl implements Control {
  /** How long a request may wait for pmj's answer (README, "From a second terminal"). */
  public static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

  private final String base;
  private final String token;
  private final String client;
  private final java.time.Duration timeout;

  /**
   * @param client how this client names itself in pmj's lines ("pmj restart")
   */
  public HttpControl(Instance.State state, String client) {
    this(state, client, TIMEOUT);
  }

  /**
   * @param client how this client names itself in pmj's lines ("pmj restart")
   * @param timeout how long a request waits for pmj's answer ({@link #TIMEOUT})
   */
  public HttpControl(Instance.State state, String client, java.time.Duration timeout) {
    this(state.base(), state.token(), client, timeout);
  }

  HttpControl(String base, String token, String client) {
    this(base, token, client, TIMEOUT);
  }

  HttpControl(String base, String token, String client, java.time.Duration timeout) {
    this.base = base;
    this.token = token;
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public ProjectInfo project() {
    return Codec.project(Json.parse(get("/api/project")));
  }

  @Override
  public List<ProcessInfo> processes() {
    return Codec.infos(Json.parse(get("/api/processes")));
  }

  /** Plain Java values (maps, lists, strings, numbers) as JSON, for a request body. */
  public static String toJson(Object value) {
    return Json.toJson(value);
  }

  /** A line as the API writes it: {@code {"seq", "id", "at", "text"}}. */
  public static String json(LogStore.Line line) {
    return Codec.line(line);
  }

  /** The processes as the API sends them (for {@code pmj ps --json}). */
  public String processesJson() {
    return get("/api/processes");
  }

  @Override
  public ProcessInfo process(String id) {
    return Codec.info(Json.parse(get("/api/processes/" + path(id))));
  }

  @Override
  public CommandResult start(String id, String by) {
    return command(id, "start", by);
  }

  @Override
  public CommandResult stop(String id, String by) {
    return command(id, "stop", by);
  }

  @Override
  public CommandResult restart(String id, String by) {
    return command(id, "restart", by);
  }

  private CommandResult command(String id, String action, String by) {
    Response r = send("POST", "/api/processes/" + path(id) + "/" + action, "", by);
    Object json = Json.parse(r.body);
    List<ProcessInfo> list =
        json instanceof List<?> ? Codec.infos(json) : List.of(Codec.info(json));
    return new CommandResult(list, r.status == 202);
  }

  @Override
  public ProcessInfo add(String json, String by) {
    return Codec.info(Json.parse(send("POST", "/api/processes", json, by).body));
  }

  @Override
  public ProcessInfo remove(String id, String by) {
    return Codec.info(Json.parse(send("DELETE", "/api/processes/" + path(id), "", by).body));
  }

  @Override
  public Scaled scale(String id, int instances, String by) {
    String path = "/api/processes/" + path(id) + "/scale";
    return ScaleCodec.scaled(Json.parse(send("POST", path, ScaleCodec.body(instances), by).body));
  }

  @Override
  public List<LogStore.Line> logs(LogStore.Query query) {
    return request(
        "GET",
        logsPath(query, false),
        null,
        null,
        (status, in) -> {
          if (status != 200) throw problem(status, text(in));
          try {
            return Codec.readLines(in);
          } catch (Json.Malformed e) {
            throw new ControlException(
                ControlException.Kind.UNAVAILABLE,
                "pmj answered with no list of lines: " + e.getMessage());
          }
        });
  }

  private static String logsPath(LogStore.Query q, boolean follow) {
    StringBuilder sb = new StringBuilder();
    if (q.ids().size() == 1) {
      sb.append("/api/processes/").append(path(q.ids().iterator().next())).append("/logs?");
      if (!q.withPmj()) sb.append("pmj=false&");
    } else {
      sb.append("/api/logs?");
      if (!q.ids().isEmpty())
        sb.append("ids=").append(query(String.join(",", q.ids()))).append('&');
      sb.append("pmj=").append(q.withPmj()).append('&');
    }
    if (q.since() > 0) sb.append("since=").append(q.since()).append('&');
    if (q.tail() >= 0) sb.append("tail=").append(q.tail()).append('&');
    if (follow) sb.append("follow=true&");
    return sb.substring(0, sb.length() - 1);
  }

  /**
   * Follows lines over Server-Sent Events. When the server drops the stream (this client was too
   * slow), it follows again after the last line it saw, so no line is missed while pmj keeps it.
   */
  @Override
  public AutoCloseable followLogs(LogStore.Query query, LogStore.Follower follower) {
    EventSource s =
        new EventSource(
            "pmj-follow-logs",
            (since, stream) -> {
              LogStore.Query q =
                  new LogStore.Query(
                      query.ids(),
                      Math.max(query.since(), since),
                      since > 0 ? -1 : query.tail(),
                      query.withPmj());
              return open(logsPath(q, true));
            },
            (event, data, stream) -> {
              LogStore.Line l = Codec.line(Json.parse(data));
              stream.lastSeq = l.seq();
              follower.lines(List.of(l));
            },
            follower::ended,
            true);
    s.start();
    return s;
  }

  @Override
  public AutoCloseable events(EventStream.Subscriber subscriber) {
    EventSource s =
        new EventSource(
            "pmj-events",
            (since, stream) -> open("/api/events"),
            (event, data, stream) -> {
              ProcessEvent e = Codec.event(event, data);
              if (e != null) subscriber.onEvent(e);
            },
            subscriber::onEnd,
            false);
    s.start();
    return s;
  }

  @Override
  public void input(String id, byte[] bytes) {
    request(
        "POST",
        "/api/processes/" + path(id) + "/input",
        bytes,
        "application/octet-stream",
        client,
        (status, in) -> {
          String text = text(in);
          if (status >= 400) throw problem(status, text);
          return null;
        });
  }

  @Override
  public void resize(String id, int cols, int rows) {
    send(
        "POST",
        "/api/processes/" + path(id) + "/resize",
        "{\"cols\":" + cols + ",\"rows\":" + rows + "}",
        client);
  }

  /**
   * Follows a terminal over Server-Sent Events; not resumed when the server ends the stream (the
   * bytes since could not be told apart from those replayed again).
   */
  @Override
  public AutoCloseable followTerminal(String id, TerminalFollower follower) {
    EventSource s =
        new EventSource(
            "pmj-follow-terminal",
            (since, stream) -> open("/api/processes/" + path(id) + "/terminal"),
            (event, data, stream) -> {
              switch (event) {
                case "output" -> follower.output(java.util.Base64.getDecoder().decode(data));
                case "exit" -> {
                  var o = Json.object(Json.parse(data));
                  Object code = o.get("code");
                  follower.exited(
                      Codec.state(Json.string(o, "state")),
                      code instanceof Number n ? n.intValue() : null);
                }
                case "restart" ->
                    follower.restarted(Json.number(Json.object(Json.parse(data)), "pid", 0));
                default -> {}
              }
            },
            follower::ended,
            false);
    s.start();
    return s;
  }

  @Override
  public Health health() {
    Response r = send("GET", "/api/health", null, null, true);
    return Codec.health(Json.parse(r.body));
  }

  @Override
  public Reloaded reload(String by) {
    return Codec.reloaded(Json.parse(send("POST", "/api/reload", "", by).body));
  }

  @Override
  public void shutdown(String by) {
    send("POST", "/api/shutdown", "", by);
  }

  // ---- HTTP ----

  private record Response(int status, String body) {}

  private String get(String path) {
    return send("GET", path, null, null).body;
  }

  private Response send(String method, String path, String body, String by) {
    return send(method, path, body, by, false);
  }

  private Response send(String method, String path, String body, String by, boolean any) {
    return request(
        method,
        path,
        body,
        by,
        (status, in) -> {
          String text = text(in);
          if (status >= 400 && !any) throw problem(status, text);
          return new Response(status, text);
        });
  }

  /** Reads an answer's body: the error stream's for a status of 400 or more (null if none). */
  private interface BodyReader<T> {
    T read(int status, InputStream in) throws IOException;
  }

  private <T> T request(String method, String path, String body, String by, BodyReader<T> reader) {
    return request(
        method,
        path,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        "application/json; charset=utf-8",
        by,
        reader);
  }

  private <T> T request(
      String method, String path, byte[] bytes, String type, String by, BodyReader<T> reader) {
    return retrying(
        method.equals("GET") || method.equals("HEAD"),
        (sent, left) -> {
          HttpURLConnection c = null;
          try {
            c = connection(path, left);
            c.setRequestMethod(method);
            if (by != null) c.setRequestProperty("X-Pmj-Client", by);
            if (bytes != null && !method.equals("GET")) {
              c.setDoOutput(true);
              c.setRequestProperty("Content-Type", type);
              c.setFixedLengthStreamingMode(bytes.length);
              try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
              }
              sent[0] = true;
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
              return reader.read(status, in);
            }
          } finally {
            if (c != null) c.disconnect();
          }
        });
  }

  /** One try of a request; sets {@code sent[0]} once the whole request has left. */
  private interface Attempt<T> {
    T run(boolean[] sent, java.time.Duration left) throws IOException;
  }

  /** The first pause before another try; it doubles up to {@link #MAX_PAUSE_MILLIS}. */
  private static final long FIRST_PAUSE_MILLIS = 50;

  private static final long MAX_PAUSE_MILLIS = 250;

  /**
   * Tries a request again while pmj closes its connection without an answer, within the time of one
   * request: a pmj with all its connections open closes new ones at once, and closes stalled ones
   * within a second (README, "From a second terminal"). A GET is tried again whatever happened; a
   * request that changes something only when it failed before it had wholly left, for pmj does
   * nothing with a request until its whole body is in (after that, it may have been done, and doing
   * it twice is not the same).
   */
  private <T> T retrying(boolean idempotent, Attempt<T> attempt) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      boolean[] sent = {false};
      try {
        return attempt.run(sent, java.time.Duration.ofNanos(deadline - System.nanoTime()));
      } catch (ConnectException e) {
        throw gone(); // nothing listens: pmj has ended
      } catch (java.net.SocketTimeoutException e) {
        throw silent();
      } catch (IOException e) {
        long left = deadline - System.nanoTime();
        if (!(idempotent || !sent[0]) || left <= TimeUnit.MILLISECONDS.toNanos(pause)) {
          throw new ControlException(
              ControlException.Kind.UNAVAILABLE, "pmj did not answer: " + e.getMessage());
        }
        try {
          Thread.sleep(pause); // pmj's pace of closing stalled connections, not a wait for an event
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw new ControlException(
              ControlException.Kind.UNAVAILABLE, "pmj did not answer: " + e.getMessage());
        }
        pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
      }
    }
  }

  /** pmj took the connection and said nothing in time: frozen, or busy beyond reason. */
  private ControlException silent() {
    return new ControlException(
        ControlException.Kind.UNAVAILABLE,
        "pmj did not answer within "
            + seconds(timeout)
            + " (its API at "
            + base.replaceFirst("^http://", "")
            + ")");
  }

  private static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private static String text(InputStream in) throws IOException {
    return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  static ControlException gone() {
    return new ControlException(
        ControlException.Kind.UNAVAILABLE, "pmj is not running (its API did not answer)");
  }

  /**
   * @param left how long the request may still take (its tries before took the rest)
   */
  private HttpURLConnection connection(String path, java.time.Duration left) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
    c.setRequestProperty("Authorization", "Bearer " + token);
    c.setRequestProperty("Accept", "application/json");
    int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, left.toMillis()));
    c.setConnectTimeout(Math.min(5000, ms));
    c.setReadTimeout(ms);
    c.setUseCaches(false);
    return c;
  }

  private static ControlException problem(int status, String text) {
    String message = text;
    List<String> details = List.of();
    try {
      var o = Json.object(Json.parse(text));
      if (Json.string(o, "error") != null) message = Json.string(o, "error");
      List<String> d = new ArrayList<>();
      for (Object p : Json.list(o.get("problems"))) d.add(String.valueOf(p));
      details = d;
    } catch (RuntimeException e) {
      // not JSON: the text is the message
    }
    ControlException.Kind kind = ErrorStatus.kindOf(status);
    if (status == 401) message = "pmj refused the token in .pmj/state.json (" + message + ")";
    return new ControlException(kind, message, details);
  }

  /** Opens a stream (a GET), tried again as {@link #retrying} says. */
  private HttpURLConnection open(String path) throws IOException {
    return retrying(
        true,
        (sent, left) -> {
          HttpURLConnection c = connection(path, left);
          c.setRequestProperty("Accept", "text/event-stream");
          c.setReadTimeout(0);
          try {
            int status = c.getResponseCode();
            if (status != 200) {
              String text = text(c.getErrorStream());
              c.disconnect();
              throw problem(status, text);
            }
            return c;
          } catch (IOException e) {
            c.disconnect();
            throw e;
          }
        });
  }

  private static String path(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String query(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }
}
