package dev.pmj.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a request the routes read: method, path, query, headers, and a body of at most
 * {@link #MAX_BODY} bytes, read in its time.
 */
final class Request {
  static final int MAX_BODY = 64 * 1024;

  final HttpExchange ex;
  final String method;
  final String path;
  final Map<String, String> query;
  private final RequestThreads.Watch watch;
  private String body;
  private byte[] raw;

  /** Over {@link #MAX_BODY}: a 413. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /** Not a request pmj can read: a 400 with this message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param watch the watch of its body, armed while a declared body is read (null: none)
   */
  Request(HttpExchange ex, RequestThreads.Watch watch) {
    this.ex = ex;
    this.watch = watch;
    this.method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    this.path = ex.getRequestURI().getRawPath();
    this.query = parseQuery(ex.getRequestURI().getRawQuery());
  }

  /** Whether a request says that a body follows its headers. */
  static boolean declaresBody(HttpExchange ex) {
    Headers h = ex.getRequestHeaders();
    if (h.containsKey("Transfer-Encoding")) return true;
    String length = h.getFirst("Content-Length");
    return length != null && !length.strip().equals("0");
  }

  String header(String name) {
    return ex.getRequestHeaders().getFirst(name);
  }

  /** GET, or HEAD (answered as GET is, without the body). */
  boolean isGet() {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** Anything but GET and HEAD. */
  boolean changesState() {
    return !method.equals("GET") && !method.equals("HEAD");
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
      raw = b;
      body = new String(b, StandardCharsets.UTF_8);
    }
    return body;
  }

  /** The body as bytes, as sent (input for a terminal need not be UTF-8). */
  byte[] bytes() throws IOException {
    body();
    return raw;
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
