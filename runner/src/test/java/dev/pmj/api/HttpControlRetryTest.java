package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ControlException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI's client against a "pmj" that closes connections without an answer, as a pmj with all its
 * connections open does (README, "From a second terminal"): a GET is tried again within the
 * request's time; a request that changes something, once sent, is not (it may have been done).
 */
class HttpControlRetryTest {
  private static final String PROCESSES =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
          + "Connection: close\r\n\r\n[]";

  private ServerSocket server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws IOException {
    if (server != null) server.close();
  }

  /**
   * Serves connections on a thread: reads each request's head, then answers it when {@code answer}
   * says so for its number (from 0), or closes it without a byte.
   */
  private String serve(IntPredicate answer) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try {
                for (int n = 0; ; n++) {
                  try (Socket s = server.accept()) {
                    requests.add(head(s.getInputStream()));
                    if (answer.test(n)) {
                      s.getOutputStream().write(PROCESSES.getBytes(StandardCharsets.US_ASCII));
                      s.getOutputStream().flush();
                    }
                  }
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "closing-pmj");
    t.setDaemon(true);
    t.start();
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      if (b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) break;
    }
    String text = b.toString(StandardCharsets.US_ASCII);
    return text.isEmpty() ? "" : text.substring(0, text.indexOf("\r\n"));
  }

  @Test
  void aGetIsTriedAgainUntilItIsAnswered() throws Exception {
    String base = serve(n -> n >= 3);
    HttpControl control = new HttpControl(base, "t", "pmj ps");
    long t0 = System.nanoTime();
    assertEquals(List.of(), control.processes());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(requests.size() >= 4, requests.toString());
    assertTrue(
        requests.stream().allMatch(r -> r.equals("GET /api/processes HTTP/1.1")),
        requests.toString());
    // Pauses of 50, 100, 200 ms (and the client's own immediate second try).
    assertTrue(ms < 5000, "answered after " + ms + " ms");
  }

  @Test
  void aGetThatIsNeverAnsweredGivesUpAfterItsTimeInOneLine() throws Exception {
    String base = serve(n -> false);
    HttpControl control = new HttpControl(base, "t", "pmj ps", Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    ControlException e = assertThrows(ControlException.class, control::processes);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(ControlException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("pmj did not answer: "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(ms >= 600 && ms < 5000, "gave up after " + ms + " ms");
    assertTrue(requests.size() >= 4, requests.toString());
  }

  @Test
  void aCommandThatWasSentIsNotSentAgain() throws Exception {
    String base = serve(n -> false);
    HttpControl control = new HttpControl(base, "t", "pmj restart");
    ControlException e =
        assertThrows(ControlException.class, () -> control.restart("web", "pmj restart"));
    assertTrue(e.getMessage().startsWith("pmj did not answer: "), e.getMessage());
    // The server notes a request before it closes its connection: any other try is noted too.
    assertEquals(List.of("POST /api/processes/web/restart HTTP/1.1"), requests);
  }

  @Test
  void nothingListeningIsSaidAtOnce() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    HttpControl control = new HttpControl("http://127.0.0.1:" + port, "t", "pmj ps");
    long t0 = System.nanoTime();
    ControlException e = assertThrows(ControlException.class, control::processes);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals("pmj is not running (its API did not answer)", e.getMessage());
    assertTrue(ms < 2000, "said after " + ms + " ms");
  }
}
