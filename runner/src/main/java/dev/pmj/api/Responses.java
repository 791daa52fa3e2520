package dev.pmj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.pmj.supervisor.ControlException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How the API answers: JSON, bytes, or a body written as it is made; HEAD as GET without body. */
final class Responses {
  static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  /** What every answer with a body says: its type, and that it is not to be kept or sniffed. */
  static void bodyHeaders(HttpExchange ex, String type) {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
  }

  static void send(HttpExchange ex, int status, String json) throws IOException {
    send(ex, status, JSON, json);
  }

  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    bodyHeaders(ex, type);
    sendBytes(ex, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isHead(HttpExchange ex) {
    return ex.getRequestMethod().equalsIgnoreCase("HEAD");
  }

  /** Answers HEAD where GET's body is sent as it is written (chunked), with GET's headers. */
  static void sendHeadOfChunked(HttpExchange ex, int status) throws IOException {
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
  static void sendStreaming(HttpExchange ex, int status, Json.Writer body) throws IOException {
    bodyHeaders(ex, JSON);
    if (isHead(ex)) {
      sendHeadOfChunked(ex, status);
      return;
    }
    ex.sendResponseHeaders(status, 0);
    try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      body.write(g);
    }
  }

  /** A command that failed: its kind's status, its message, and its problems when it has any. */
  static void sendProblem(HttpExchange ex, ControlException e) throws IOException {
    int status = ErrorStatus.of(e.kind());
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
}
