package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The dashboard's terminal view in a real browser (headless Chromium) against real programs in real
 * pseudo-terminals: read from xterm.js's own rows, typed into through its text area.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTerminalTest {
  private static final String YAML =
      """
      processes:
        ask:
          command: python3 @TESTDATA@/ask.py
          interactive: true
          restart: never
        pdb:
          command: python3 @TESTDATA@/breakpoint.py
          interactive: true
          restart: never
        size:
          command: python3 @TESTDATA@/winsize.py
          interactive: true
        paint:
          command: sh -c 'printf "\\033[38;2;255;100;0mtrue colour\\033[0m\\n"; exec sleep 1000'
          interactive: true
        plain:
          command: python3 @TESTDATA@/echo.py plain here
      """;

  @RegisterExtension static final BrowserPage page = new BrowserPage();
  @TempDir Path root;
  private Browser browser;
  private WebDriver driver;
  private Stack stack;

  @BeforeEach
  void start() throws Exception {
    browser = page.browser();
    driver = page.driver();
    stack = page.use(new Stack(Files.createTempDirectory(root, "run"), YAML));
    // Served as Stack.serve() does, with heartbeats that find a closed stream of an idle process
    // within a second rather than pmj's 10 s.
    stack.api = ApiServer.start(stack.local, 0, Duration.ofMillis(500));
    stack.local.dashboard(stack.api::dashboard);
    stack.awaitState("plain", ProcessState.READY);
    browser.console();
    browser.devtools();
    driver.get(stack.api.dashboard());
    until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == 5);
  }

  private <T> T until(Function<WebDriver, T> condition) {
    return page.until(condition);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * What xterm.js shows, as its DOM renderer draws it: one line a row, without trailing blanks. The
   * rows' text, not Selenium's rendering of it, which breaks a row where xterm.js splits it in
   * spans.
   */
  private String screen() {
    return (String)
        js(
            "return [...document.querySelectorAll('#terminal .xterm-rows > div')]"
                + ".map(r => r.textContent.replace(/\\u00a0/g, ' ').trimEnd()).join('\\n').trim()");
  }

  private void awaitScreen(String text) {
    try {
      until(d -> screen().contains(text));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no \"" + text + "\" on the terminal:\n" + screen(), e);
    }
  }

  /** Types as a person does: keys into the terminal's focused text area. */
  private void type(CharSequence... keys) {
    driver.findElement(By.cssSelector("#terminal .xterm-helper-textarea")).sendKeys(keys);
  }

  private String logText(String id) {
    StringBuilder sb = new StringBuilder();
    for (LogStore.Line l : stack.local.logs(new LogStore.Query(Set.of(id), 0, -1, false)))
      sb.append(l.text()).append('\n');
    return sb.toString();
  }

  private String info() {
    return driver.findElement(By.id("terminal-info")).getText();
  }

  @Test
  void aPromptIsAnsweredByTypingIntoTheTerminalAndTheLogViewStaysReadable() throws Exception {
    driver.findElement(By.cssSelector("tr[data-id='ask'] td.id a")).click();
    WebElement offer = until(d -> d.findElement(By.id("log-terminal")));
    until(d -> offer.isDisplayed());
    assertEquals("Terminal", offer.getText());
    offer.click();
    assertTrue(driver.getCurrentUrl().endsWith("#/terminal/ask"), driver.getCurrentUrl());
    // The prompt was written before the page came: it is the replay.
    awaitScreen("continue? [y/N]");
    type("y", Keys.ENTER);
    awaitScreen("answer: y tty=True");
    awaitScreen("[exited, code 0]");
    assertTrue(info().startsWith("exited, code 0"), info());
    // Keys for a program that has ended are refused, and the view says so.
    type("x");
    until(d -> info().startsWith("not typed: ask is not running · "));
    String screen = screen();
    assertTrue(screen.contains("continue? [y/N] y\nanswer: y tty=True"), screen);
    // pmj's log has the answer, and the page's log views show pmj's lines as they are: readable,
    // folded from the terminal's bytes, with no escape left.
    String kept = stack.until(() -> logText("ask"), t -> t.contains("answer: y tty=True"));
    assertTrue(kept.startsWith("continue? [y/N]"), kept);
    driver.findElement(By.id("terminal-logs")).click();
    // With pmj's lines about ask among them ("pmj | ask: started (pid N)").
    until(
        d ->
            lines(d.findElement(By.id("log")).getText()).stream()
                .filter(l -> !l.startsWith("pmj | ask: "))
                .toList()
                .equals(lines(kept)));
    assertTrue(
        driver.findElement(By.id("log")).getText().contains("pmj | ask: exited with code 0"),
        driver.findElement(By.id("log")).getText());
    driver.get(stack.base() + "/#/logs");
    until(d -> d.findElement(By.id("log")).getText().contains("answer: y tty=True"));
    String merged = driver.findElement(By.id("log")).getText();
    assertTrue(
        Pattern.compile("(?m)^ask +\\| continue\\? \\[y/N\\]").matcher(merged).find(), merged);
    assertTrue(Pattern.compile("(?m)^ask +\\| answer: y tty=True$").matcher(merged).find(), merged);
    assertFalse(
        merged.contains("\u001b") || merged.contains("\r") || merged.contains("[K"), merged);
  }

  /** Lines without trailing blanks (a browser's text drops them). */
  private static List<String> lines(String text) {
    return text.strip().lines().map(String::stripTrailing).toList();
  }

  @Test
  void aDebuggerStoppedAtABreakpointAnswersWhatIsTyped() throws Exception {
    driver.get(stack.base() + "/#/terminal/pdb");
    awaitScreen("(Pdb)");
    type("p x", Keys.ENTER);
    awaitScreen("42");
    // A picture of the view, under target/, for whoever changes its look.
    Path shot = dev.pmj.testing.Fixtures.root().resolve("runner/target/dashboard-terminal.png");
    Files.createDirectories(shot.getParent());
    Files.write(
        shot,
        ((org.openqa.selenium.TakesScreenshot) driver)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    // Keys typed faster than they are sent go together in the next request, in order.
    String word = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3);
    type("p '" + word + "'.upper()", Keys.ENTER);
    awaitScreen("'" + word.toUpperCase() + "'");
    // Tab is the program's (pdb completes with it); Ctrl-] takes the keyboard out of the terminal.
    assertTrue(info().contains("Ctrl-] leaves the terminal"), info());
    type(Keys.chord(Keys.CONTROL, "]"));
    until(d -> "terminal-logs".equals(d.switchTo().activeElement().getAttribute("id")));
    type("c", Keys.ENTER);
    awaitScreen("after the breakpoint");
  }

  @Test
  void theProgramsTerminalTakesTheViewsSizeAndFollowsTheWindow() throws Exception {
    driver.get(stack.base() + "/#/terminal/size");
    Pattern size = Pattern.compile("([0-9]+)×([0-9]+)");
    String first = until(d -> size.matcher(info()).find() ? info() : null);
    Matcher m = size.matcher(first);
    assertTrue(m.find());
    int cols = Integer.parseInt(m.group(1));
    int rows = Integer.parseInt(m.group(2));
    assertTrue(cols > 80 && rows > 24, first + ": a 1280×800 window is larger than 80×24");
    awaitScreen("size " + cols + " " + rows);
    driver.manage().window().setSize(new Dimension(700, 500));
    String second = until(d -> info().equals(first) ? null : info());
    m = size.matcher(second);
    assertTrue(m.find(), second);
    int cols2 = Integer.parseInt(m.group(1));
    int rows2 = Integer.parseInt(m.group(2));
    assertTrue(cols2 < cols && rows2 < rows, first + " then " + second);
    awaitScreen("size " + cols2 + " " + rows2);
    stack.until(() -> logText("size"), t -> t.contains("size " + cols2 + " " + rows2));
    // As many rows on the page as the program was told.
    assertEquals(
        (long) rows2, js("return document.querySelectorAll('#terminal .xterm-rows > div').length"));
  }

  @Test
  void aRestartIsFollowedInTheSameViewAfterADimMark() throws Exception {
    driver.get(stack.base() + "/#/terminal/size");
    awaitScreen("size ");
    long before = stack.local.process("size").pid();
    stack.local.restart("size", "test");
    long pid = stack.until(() -> stack.local.process("size").pid(), p -> p != before && p > 0);
    // The first run's lines, its end, the mark, then the new run's size in its new terminal.
    Pattern seen =
        Pattern.compile(
            "size [0-9]+ [0-9]+\n\\[[a-z]+[^\\]]*\\]\n\\[restarted, pid "
                + pid
                + "\\]\nsize [0-9]+ [0-9]+");
    try {
      until(d -> seen.matcher(screen()).find());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(screen(), e);
    }
    WebElement mark =
        driver.findElement(
            By.xpath("//div[contains(@class,'xterm-rows')]//span[contains(.,'[restarted')]"));
    assertTrue(mark.getAttribute("class").contains("xterm-dim"), mark.getAttribute("class"));
    assertEquals("live", info().split(" · ")[0]);
  }

  @Test
  void aProcessWithoutATerminalIsNotOfferedOneAndTheViewSaysHow() throws Exception {
    assertTrue(driver.findElement(By.cssSelector("tr[data-id='ask'] a.tag")).isDisplayed());
    assertFalse(driver.findElement(By.cssSelector("tr[data-id='plain'] a.tag")).isDisplayed());
    driver.get(stack.base() + "/#/logs/plain");
    until(d -> d.findElement(By.id("log")).getText().contains("plain here"));
    assertFalse(driver.findElement(By.id("log-terminal")).isDisplayed());
    driver.get(stack.base() + "/#/terminal/plain");
    WebElement none = driver.findElement(By.id("terminal-none"));
    until(d -> none.isDisplayed());
    assertEquals(
        "plain has no terminal: add \"interactive: true\" to it in pmj.yaml.", none.getText());
    assertEquals(0, driver.findElements(By.cssSelector("#terminal .xterm")).size());
    // The events only (the log view's stream has ended).
    stack.until(() -> stack.api.openStreams(), n -> n == 1);
  }

  @Test
  void theTerminalLoadsOnlyFromPmjUnderItsPolicyWithNoErrorAndLeavingClosesItsStream()
      throws Exception {
    driver.get(stack.base() + "/#/terminal/paint");
    awaitScreen("true colour");
    // xterm.js's own <style> elements apply (they carry the page's nonce) ...
    assertEquals(
        Boolean.TRUE,
        js(
            "const s = [...document.querySelectorAll('#terminal style')];"
                + " return s.length > 0 && s.every(e => e.sheet && e.sheet.cssRules.length > 0)"));
    // ... and so does a 24-bit colour, drawn as a style attribute.
    WebElement colour =
        driver.findElement(
            By.xpath("//div[contains(@class,'xterm-rows')]//span[contains(.,'true colour')]"));
    assertEquals("rgb(255, 100, 0)", js("return getComputedStyle(arguments[0]).color", colour));
    stack.until(() -> stack.api.openStreams(), n -> n == 2);
    driver.get(stack.base() + "/#/");
    stack.until(() -> stack.api.openStreams(), n -> n == 1);
    driver.get(stack.base() + "/#/terminal/paint");
    awaitScreen("true colour");
    stack.until(() -> stack.api.openStreams(), n -> n == 2);
    driver.get("about:blank");
    stack.until(() -> stack.api.openStreams(), n -> n == 0);

    List<String> urls = new ArrayList<>();
    Matcher m =
        Pattern.compile(
                "\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]+)\"")
            .matcher("");
    for (String event : browser.devtools()) {
      if (m.reset(event).find()) urls.add(m.group(1));
    }
    assertTrue(urls.contains(stack.base() + "/assets/xterm/xterm.mjs"), urls.toString());
    assertTrue(urls.contains(stack.base() + "/assets/xterm/xterm.css"), urls.toString());
    for (String url : urls) {
      assertTrue(
          url.startsWith(stack.base() + "/")
              || url.startsWith("data:")
              || url.equals("about:blank"),
          "outside request: " + url);
    }
    List<String> errors = new ArrayList<>();
    for (LogEntry e : browser.console()) {
      if (e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
        errors.add(e.getMessage());
    }
    assertEquals(List.of(), errors);
  }

  private java.net.http.HttpResponse<String> get(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.base() + path))
                .header("Authorization", "Bearer " + stack.api.token())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachPageHasANonceOfItsOwnAndOnlyTheListedFilesAreServed() throws Exception {
    Pattern inPage = Pattern.compile("<link [^>]*id=\"xterm-css\"[^>]*>");
    Pattern nonce = Pattern.compile("'nonce-([A-Za-z0-9_-]{24})'");
    List<String> nonces = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      var r = get("/");
      assertEquals(200, r.statusCode());
      String policy = r.headers().firstValue("Content-Security-Policy").orElse("");
      Matcher header = nonce.matcher(policy);
      assertTrue(header.find(), policy);
      assertTrue(
          policy.startsWith(
              "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-" + header.group(1)),
          policy);
      Matcher link = inPage.matcher(r.body());
      assertTrue(link.find(), r.body());
      assertTrue(link.group().contains("nonce=\"" + header.group(1) + "\""), link.group());
      nonces.add(header.group(1));
    }
    assertFalse(nonces.get(0).equals(nonces.get(1)), "a new nonce each time: " + nonces);
    var css = get("/assets/xterm/xterm.css");
    assertEquals(200, css.statusCode());
    assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
    assertFalse(
        css.headers().firstValue("Content-Security-Policy").orElse("").contains("nonce"),
        "only the page has one");
    for (String path :
        List.of(
            "/assets/xterm/README.md",
            "/assets/xterm/LICENSE-xterm",
            "/assets/xterm/xterm.mjs.map",
            "/assets/xterm/../app.js",
            "/assets/xterm/")) {
      var r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals(Json.toJson(java.util.Map.of("error", "no such file: " + path)), r.body(), path);
    }
  }
}
