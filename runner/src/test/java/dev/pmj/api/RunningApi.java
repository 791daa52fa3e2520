package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pmj.supervisor.LocalControl;
import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A project running in this JVM with its HTTP API served, for each test of a class that registers
 * it ({@code @RegisterExtension}): before each test it starts a {@link Stack} in a new folder,
 * serves the API (unless {@link #withoutServer()}) and waits until the processes are ready; it
 * hands the test a client of the API (requests with or without the token, raw sockets); after the
 * test it closes the sockets and stops everything, and fails the test if a process is left ({@link
 * Stack#close()}).
 */
final class RunningApi implements BeforeEachCallback, AfterEachCallback {
  /** Two processes that run until stopped: one prints all the time, one said a line at start. */
  static final String TWO_PROCESSES =
      """
      processes:
        ticker:
          command: python3 @TESTDATA@/ticker.py 0.05
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
      """;

  private final String yaml;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> sockets = new ArrayList<>();
  private Duration heartbeat = Duration.ofSeconds(10);
  private Limits limits = Limits.of(text -> {});
  private Consumer<Stack> beforeServing = s -> {};
  private boolean serving = true;
  private List<String> ready;
  private Path dir;
  private Stack stack;
  private List<String> ids;

  private RunningApi(String yaml) {
    this.yaml = yaml;
  }

  /** A stack of the processes {@code yaml} declares. */
  static RunningApi of(String yaml) {
    return new RunningApi(yaml);
  }

  /** How often open streams get a heartbeat (10 s, as in pmj). */
  RunningApi heartbeat(Duration every) {
    this.heartbeat = every;
    return this;
  }

  /** The limits the API serves with (pmj's, and no line said, unless given). */
  RunningApi limits(Limits limits) {
    this.limits = limits;
    return this;
  }

  /** Runs once the processes are started, before the API is served (to subscribe to events). */
  RunningApi beforeServing(Consumer<Stack> step) {
    this.beforeServing = step;
    return this;
  }

  /** Waits before each test until these processes are ready (all of them, unless given). */
  RunningApi ready(String... ids) {
    this.ready = List.of(ids);
    return this;
  }

  /** Does not serve the API: for tests of the control in the process, or that serve it later. */
  RunningApi withoutServer() {
    this.serving = false;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("pmj-api-test-");
    stack = new Stack(dir, yaml);
    beforeServing.accept(stack);
    if (serving) serve(limits);
    ids = stack.local.processes().stream().map(ProcessInfo::id).toList();
    for (String id : ready == null ? ids : ready) stack.awaitState(id, ProcessState.READY);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      closeConnections();
      if (stack != null) stack.close();
    } finally {
      stack = null;
      deleteAll(dir);
    }
  }

  private static void deleteAll(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** Serves the API again (a new port and token), with these limits. */
  void serve(Limits limits) throws IOException {
    if (stack.api != null) stack.api.close();
    stack.api = ApiServer.start(stack.local, 0, heartbeat, limits);
  }

  /** Closes the API now (the processes run on). */
  void closeServer() {
    stack.api.close();
    stack.api = null;
  }

  Stack stack() {
    return stack;
  }

  ApiServer server() {
    return stack.api;
  }

  LocalControl local() {
    return stack.local;
  }

  /** The folder the project file is in. */
  Path dir() {
    return dir;
  }

  int port() {
    return stack.api.port();
  }

  String token() {
    return stack.api.token();
  }

  String base() {
    return stack.base();
  }

  /** See {@link Stack#until}. */
  <T> T until(Supplier<T> value, Predicate<T> test) throws InterruptedException {
    return stack.until(value, test);
  }

  HttpClient http() {
    return http;
  }

  /** A request to the API, without the token, that fails after 20 s without an answer. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request with the token, and {@code body} (null: none). */
  HttpResponse<String> call(String method, String path, String body) throws Exception {
    return send(
        request(path)
            .header("Authorization", "Bearer " + token())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A connection to the API, closed after the test, for requests a client would not send. */
  Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port());
    sockets.add(s);
    return s;
  }

  /** Closes every connection {@link #connect()} opened. */
  void closeConnections() throws IOException {
    for (Socket s : sockets) s.close();
    sockets.clear();
  }

  /** The pid of every process. */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String id : ids) pids.put(id, stack.local.process(id).pid());
    return pids;
  }

  /**
   * Nothing changed: the same processes as before the test, in the file's order, ready with the
   * same pids, and no shutdown asked.
   */
  void assertNothingChanged(Map<String, Long> pids) {
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      ProcessInfo p = stack.local.process(e.getKey());
      assertEquals(e.getValue(), p.pid(), e.getKey() + " was restarted");
      assertEquals(ProcessState.READY, p.state());
    }
    assertEquals(ids, stack.local.processes().stream().map(ProcessInfo::id).toList());
    assertFalse(stack.shutdownAskedBy.isDone(), "shutdown was asked");
  }
}
