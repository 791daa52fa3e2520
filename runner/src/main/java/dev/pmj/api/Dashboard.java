package dev.pmj.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard (README, "From a second terminal"): one page and its assets, all inside the jar,
 * served as they are (no build step). A Content-Security-Policy lets the page load nothing but its
 * own files and talk to nothing but this pmj.
 */
final class Dashboard {
  private static final String DIR = "/dev/pmj/api/dashboard/";
  static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "style.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "api.js", "text/javascript; charset=utf-8",
          "ansi.js", "text/javascript; charset=utf-8",
          "logs.js", "text/javascript; charset=utf-8",
          "spark.js", "text/javascript; charset=utf-8");
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:;"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  /** Whether {@code path} is the page or one of its assets. */
  static boolean isPage(String path) {
    return path.equals("/") || path.startsWith("/assets/");
  }

  /** Sends the page ({@code /}) or an asset ({@code /assets/NAME}); 404 for anything else. */
  void serve(HttpExchange ex, String path) throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring("/assets/".length());
    String type = TYPES.get(name);
    byte[] body = type == null ? null : file(name);
    if (body == null) {
      Responses.send(ex, 404, Codec.error("no such file: " + path));
      return;
    }
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    secure(h);
    Responses.sendBytes(ex, 200, body);
  }

  /**
   * The answer to the address with the token, after its cookie: a page that sends the browser on to
   * {@code /}. Not an HTTP redirect: a browser follows one in the context of the navigation that
   * asked, and when that came from another site (the file {@code pmj open} gives the browser) it
   * would not send the SameSite=Strict cookie just set. The page's own navigation comes from this
   * origin, so it does; a refresh of 0 s replaces the tokened address in the history.
   */
  static void enter(HttpExchange ex) throws IOException {
    byte[] body =
        ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url=/\">"
                + "<title>pmj</title><p><a href=\"/\">Open the dashboard</a></p>")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "text/html; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    Responses.sendBytes(ex, 200, body);
  }

  /** The page for a browser without this run's cookie: what to do, not a blank screen. */
  static void unauthorized(HttpExchange ex) throws IOException {
    byte[] body =
        ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"color-scheme\" content=\"light dark\"><title>pmj: open the address pmj printed</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}"
                + "code{font-size:0.95em}</style>"
                + "<h1>Open the address <code>pmj up</code> printed</h1>"
                + "<p>This dashboard needs the token of the pmj that runs now. <code>pmj up</code> printed an"
                + " address that ends in <code>?token=…</code>; open that one (<code>pmj open</code> prints it"
                + " again). A pmj started again has a new token.</p>")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "text/html; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    h.set("X-Content-Type-Options", "nosniff");
    Responses.sendBytes(ex, 401, body);
  }

  private static void secure(Headers h) {
    h.set("Cache-Control", "no-store");
    h.set("Content-Security-Policy", POLICY);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
  }

  private byte[] file(String name) throws IOException {
    byte[] cached = files.get(name);
    if (cached != null) return cached;
    try (InputStream in = Dashboard.class.getResourceAsStream(DIR + name)) {
      if (in == null) return null;
      byte[] b = in.readAllBytes();
      files.put(name, b);
      return b;
    }
  }
}
