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
 *
 * <p>The terminal view's xterm.js (dashboard/xterm/, its README says where it comes from) writes
 * its theme and cell sizes into {@code <style>} elements it makes itself. Rather than allow every
 * inline style, the page gets a nonce of its own each time it is served: the page's script gives it
 * to those elements, which markup slipped into the page could not. Style attributes, which xterm.js
 * uses for 24-bit colours only, are allowed: they can restyle an element but, with images and fonts
 * from this pmj only, fetch nothing.
 */
final class Dashboard {
  private static final String DIR = "/dev/pmj/api/dashboard/";
  private static final String JS = "text/javascript; charset=utf-8";
  static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("index.html", "text/html; charset=utf-8"),
          Map.entry("style.css", "text/css; charset=utf-8"),
          Map.entry("app.js", JS),
          Map.entry("api.js", JS),
          Map.entry("ansi.js", JS),
          Map.entry("logs.js", JS),
          Map.entry("spark.js", JS),
          Map.entry("terminal.js", JS),
          Map.entry("scale.js", JS),
          Map.entry("xterm/xterm.mjs", JS),
          Map.entry("xterm/addon-fit.mjs", JS),
          Map.entry("xterm/xterm.css", "text/css; charset=utf-8"));

  /** In index.html where the page's nonce goes. */
  private static final String NONCE_MARK = "{{nonce}}";

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
    String nonce = null;
    if (name.equals("index.html")) {
      nonce = nonce();
      body =
          new String(body, java.nio.charset.StandardCharsets.UTF_8)
              .replace(NONCE_MARK, nonce)
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    secure(h, nonce);
    Responses.sendBytes(ex, 200, body);
  }

  /**
   * A page's nonce. Read as the token is (Token.randomText): a SecureRandom made when the API
   * starts would start the security providers on every pmj up's path to its dashboard line.
   */
  private static String nonce() {
    return Token.randomText(18);
  }

  /** The policy of the page, whose {@code <style>} elements need {@code nonce} (none: assets). */
  static String policy(String nonce) {
    String styles = nonce == null ? "'self'" : "'self' 'nonce-" + nonce + "'";
    return "default-src 'none'; script-src 'self'; style-src "
        + styles
        + "; style-src-attr 'unsafe-inline'; connect-src 'self'; img-src 'self' data:;"
        + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
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

  private static void secure(Headers h, String nonce) {
    h.set("Cache-Control", "no-store");
    h.set("Content-Security-Policy", policy(nonce));
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
