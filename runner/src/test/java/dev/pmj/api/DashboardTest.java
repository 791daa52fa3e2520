package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ProcessState;
import dev.pmj.testing.Browser;
import dev.pmj.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/** The dashboard in a real browser (headless Chromium) against real processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTest {
  private static final String YAML =
      """
      processes:
        ticker:
          command: python3 @TESTDATA@/ticker.py 0.05 color
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
        web:
          command: sh -c 'echo web is ready; exec sleep 1000'
          readiness:
            logLine: is ready
          color: magenta
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
    stack = page.use(new Stack(Files.createTempDirectory(root, "run"), YAML).serve());
    stack.awaitState("web", ProcessState.READY);
    stack.awaitState("quiet", ProcessState.READY);
    browser.console();
    browser.devtools();
  }

  private <T> T until(Function<WebDriver, T> condition) {
    return page.until(condition);
  }

  /** Opens the address pmj prints and waits for the table. */
  private void open() {
    open(3);
  }

  private void open(int rows) {
    driver.get(stack.api.dashboard());
    until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == rows);
  }

  private String cell(String id, String cls) {
    return driver.findElement(By.cssSelector("tr[data-id='" + id + "'] td." + cls)).getText();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @Test
  void theAddressWithTheTokenSetsTheCookieAndLeavesACleanAddressWithARowPerProcess() {
    open();
    assertEquals(
        stack.base() + "/", driver.getCurrentUrl(), "the token is gone from the address bar");
    List<String> ids = new ArrayList<>();
    for (WebElement tr : driver.findElements(By.cssSelector("#processes tbody tr")))
      ids.add(tr.getAttribute("data-id"));
    assertEquals(List.of("ticker", "quiet", "web"), ids);
    until(d -> cell("web", "state-cell").equals("ready"));
    assertEquals(String.valueOf(stack.local.process("web").pid()), cell("web", "pid"));
    assertEquals("yes (logLine)", cell("web", "ready"));
    assertEquals("0", cell("quiet", "restarts"));
    // The id in its console color: web asks for magenta.
    assertTrue(
        driver
            .findElement(By.cssSelector("tr[data-id='web'] td.id a"))
            .getAttribute("class")
            .contains("c-magenta"));
    assertEquals("pmj · " + stack.project.name(), driver.getTitle());
    // CPU and memory arrive with the samples, and their charts get points.
    until(d -> !cell("ticker", "mem").equals("–") && !cell("ticker", "mem").isEmpty());
    until(
        d -> {
          // No points attribute at all until the first sample is drawn.
          String points =
              d.findElement(By.cssSelector("tr[data-id='ticker'] td.mem polyline"))
                  .getAttribute("points");
          return points != null && !points.isEmpty();
        });
  }

  @Test
  void restartOnOneRowRestartsExactlyThatProcessAndTheRowFollowsLive() throws Exception {
    open();
    long quiet = stack.local.process("quiet").pid();
    long ticker = stack.local.process("ticker").pid();
    long web = stack.local.process("web").pid();
    driver.findElement(By.cssSelector("button[aria-label='Restart quiet']")).click();
    until(
        d ->
            !cell("quiet", "pid").equals(String.valueOf(quiet))
                && cell("quiet", "state-cell").equals("ready"));
    until(d -> cell("quiet", "restarts").equals("1"));
    assertEquals(String.valueOf(stack.local.process("quiet").pid()), cell("quiet", "pid"));
    assertNotEquals(quiet, stack.local.process("quiet").pid());
    assertEquals(ticker, stack.local.process("ticker").pid());
    assertEquals(web, stack.local.process("web").pid());
    assertEquals("0", cell("ticker", "restarts"));
    stack.await(
        dev.pmj.supervisor.ProcessEvent.Notice.class,
        n -> "restarting (dashboard)".equals(n.text()));
  }

  @Test
  void theLogViewOfATickingProcessGrowsLiveWithItsColorsAsStyles() throws Exception {
    open();
    driver.findElement(By.cssSelector("tr[data-id='ticker'] td.id a")).click();
    assertTrue(driver.getCurrentUrl().endsWith("#/logs/ticker"));
    until(d -> d.findElements(By.cssSelector("#log div")).size() >= 10);
    int before = driver.findElements(By.cssSelector("#log div")).size();
    until(d -> d.findElements(By.cssSelector("#log div")).size() > before + 5);
    // pmj's lines about ticker come first ("pmj | ticker: started (pid N)"), then its own, bare.
    String said = driver.findElement(By.cssSelector("#log div.pmj")).getText();
    assertTrue(said.matches("pmj \\| ticker: started \\(pid [0-9]+\\)"), said);
    WebElement first = driver.findElement(By.cssSelector("#log div:not(.pmj) span"));
    assertTrue(first.getText().matches("tick [0-9]+"), first.getText());
    assertEquals("var(--a1)", js("return arguments[0].style.color", first));
    String color = (String) js("return getComputedStyle(arguments[0]).color", first);
    assertTrue(color.startsWith("rgb("), color);
    String text = driver.findElement(By.id("log")).getText();
    assertFalse(
        text.contains("\u001b") || text.contains("[31m") || text.contains("[0m"), "raw escapes");
    // Pause holds the view still; resume shows what came meanwhile.
    driver.findElement(By.id("log-pause")).click();
    String info = driver.findElement(By.id("log-info")).getText();
    assertTrue(info.endsWith("(paused)"), info);
    int paused = driver.findElements(By.cssSelector("#log div")).size();
    stack.until(() -> stack.local.process("ticker").outputLines(), n -> n > 60);
    assertEquals(paused, driver.findElements(By.cssSelector("#log div")).size());
    driver.findElement(By.id("log-pause")).click();
    until(d -> d.findElements(By.cssSelector("#log div")).size() > paused);
    // The filter keeps the matching lines only.
    driver.findElement(By.id("log-filter")).sendKeys("tick 7");
    until(
        d ->
            d.findElements(By.cssSelector("#log div")).stream()
                .allMatch(e -> e.getText().startsWith("tick 7")));
  }

  @Test
  void aRowSaysWhyItsProcessWaitsAndItsLastExitAsPmjPsDoesAndItsLogsSayWhatPmjDid()
      throws Exception {
    stack.local.add(
        "{\"id\": \"crash\", \"command\": \"sh -c 'echo bye; exit 3'\", \"backoff\": \"20s\"}",
        "test");
    stack.awaitState("crash", ProcessState.BACKOFF);
    open(4);
    until(d -> cell("crash", "exit").equals("exit 3"));
    assertEquals(
        "backoff\nexited with code 3, restarting in 20s (retry 1)", cell("crash", "state-cell"));
    // A stop seen live reads as pmj ps reads it, not as a number.
    stack.local.stop("quiet", "test");
    until(d -> cell("quiet", "exit").equals("SIGTERM"));
    assertEquals("stopped", cell("quiet", "state-cell"));
    driver.navigate().refresh();
    until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == 4);
    until(d -> cell("quiet", "exit").equals("SIGTERM"));

    driver.get(stack.base() + "/#/logs/crash");
    until(d -> d.findElement(By.id("log")).getText().contains("restarting in 20s"));
    List<String> lines =
        driver
            .findElement(By.id("log"))
            .getText()
            .replaceAll("pid [0-9]+", "pid N")
            .lines()
            .toList();
    // pmj's line that it was added comes once add returns: anywhere among the others.
    assertTrue(lines.contains("pmj | crash: added (test): sh -c 'echo bye; exit 3'"), "" + lines);
    assertEquals(
        List.of(
            "pmj | crash: started (pid N)",
            "bye",
            "pmj | crash: exited with code 3",
            "pmj | crash: restarting in 20s (retry 1)"),
        lines.stream().filter(l -> !l.contains("added")).toList());
  }

  @Test
  void theMergedViewPrefixesEveryLineWithItsProcessAndKeepsPmjsLines() {
    driver.get(stack.api.dashboard());
    driver.get(stack.base() + "/#/logs");
    // Every process's first line, whichever arrives last (the ticker may not have ticked yet).
    Pattern tick = Pattern.compile("ticker \\| tick [0-9]+");
    until(
        d -> {
          String t = d.findElement(By.id("log")).getText();
          return t.contains("quiet  | quiet here") && tick.matcher(t).find();
        });
    String text = driver.findElement(By.id("log")).getText();
    assertTrue(text.contains("pmj    | quiet: started (pid "), text);
    assertTrue(tick.matcher(text).find(), text);
  }

  @Test
  void thePageMakesNoOutsideRequestAndLogsNoJavaScriptError() {
    open();
    driver.get(stack.base() + "/#/logs/ticker");
    until(d -> d.findElements(By.cssSelector("#log div")).size() >= 5);
    driver.get(stack.base() + "/#/");
    until(d -> cell("quiet", "state-cell").equals("ready"));
    List<String> urls = new ArrayList<>();
    Matcher m =
        // The request's own url: the initiator's comes first (the keys are in alphabetical order).
        Pattern.compile(
                "\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]+)\"")
            .matcher("");
    for (String event : browser.devtools()) {
      if (m.reset(event).find()) urls.add(m.group(1));
    }
    assertFalse(urls.isEmpty());
    for (String url : urls) {
      assertTrue(
          url.startsWith(stack.base() + "/") || url.startsWith("data:"), "outside request: " + url);
    }
    List<String> errors = new ArrayList<>();
    for (LogEntry e : browser.console()) {
      if (e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
        errors.add(e.getMessage());
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void leavingThePageClosesItsStreams() {
    open();
    driver.get(stack.base() + "/#/logs");
    until(d -> d.findElements(By.cssSelector("#log div")).size() >= 3);
    assertEquals(2, stack.api.openStreams(), "events and logs");
    driver.get("about:blank");
    assertEquals(0, (int) until(d -> stack.api.openStreams() == 0 ? 0 : null));
  }

  @Test
  void aDroppedStreamIsFollowedAgainAndTheTableStaysLive() throws Exception {
    open();
    stack.until(() -> stack.api.openStreams(), n -> n == 1);
    stack.api.endStreams();
    stack.until(() -> stack.api.openStreams(), n -> n == 1);
    long before = stack.local.process("quiet").pid();
    stack.local.restart("quiet", "test");
    until(
        d ->
            !cell("quiet", "pid").equals(String.valueOf(before))
                && cell("quiet", "state-cell").equals("ready"));
    assertEquals("live", driver.findElement(By.id("connection")).getText());
  }

  @Test
  void aBrokenFileOnReloadIsShownOnThePage() throws Exception {
    open();
    // The table may be filled before the page's event stream is open: a notice needs the stream.
    stack.until(() -> stack.api.openStreams(), n -> n == 1);
    Files.writeString(stack.project.file(), "processes:\n  a: {command: x, restart: sometimes}\n");
    org.junit.jupiter.api.Assertions.assertThrows(
        dev.pmj.supervisor.ControlException.class, () -> stack.local.reload("test"));
    until(
        d ->
            d.findElement(By.id("notices"))
                .getText()
                .contains(
                    "pmj.yaml:2:28: processes.a.restart: must be one of always, on-failure, never"));
    assertTrue(
        driver
            .findElement(By.id("notices"))
            .getText()
            .contains("reload (test): pmj.yaml has 1 problem; nothing changed"));
    assertEquals(3, driver.findElements(By.cssSelector("#processes tbody tr")).size());
  }

  @Test
  void restartAllAndShutdownAskFirst() throws Exception {
    open();
    Map<String, Long> pids =
        Map.of(
            "ticker",
            stack.local.process("ticker").pid(),
            "quiet",
            stack.local.process("quiet").pid());
    driver.findElement(By.id("restart-all")).click();
    WebElement dialog = driver.findElement(By.id("confirm"));
    until(d -> dialog.isDisplayed());
    assertEquals("Restart every process?", driver.findElement(By.id("confirm-text")).getText());
    dialog.findElement(By.cssSelector("button[value='cancel']")).click();
    until(d -> !dialog.isDisplayed());
    assertEquals(pids.get("quiet"), stack.local.process("quiet").pid(), "cancel restarts nothing");
    driver.findElement(By.id("restart-all")).click();
    until(d -> dialog.isDisplayed());
    driver.findElement(By.id("confirm-ok")).click();
    stack.until(() -> stack.local.process("quiet").pid(), p -> p != pids.get("quiet") && p > 0);
    stack.until(() -> stack.local.process("ticker").pid(), p -> p != pids.get("ticker") && p > 0);
    driver.findElement(By.id("shutdown")).click();
    until(d -> dialog.isDisplayed());
    assertEquals(
        "Stop every process and pmj itself?", driver.findElement(By.id("confirm-text")).getText());
    driver.findElement(By.id("confirm-ok")).click();
    assertEquals("dashboard", stack.shutdownAskedBy.get(20, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void aFailedButtonSaysSoAndWhenPmjStopsThePageSaysSoAndStopsTrying() {
    open();
    stack.api.close();
    driver.findElement(By.cssSelector("button[aria-label='Restart quiet']")).click();
    until(
        d ->
            d.findElement(By.id("toasts"))
                .getText()
                .contains("Restart quiet failed: pmj cannot be reached"));
    WebElement gone = driver.findElement(By.id("gone"));
    until(d -> gone.isDisplayed());
    assertTrue(gone.getText().contains("pmj has stopped"), gone.getText());
    assertEquals("pmj has stopped", driver.findElement(By.id("connection")).getText());
    assertTrue(driver.findElement(By.id("retry")).isEnabled());
    stack.api = null;
  }

  @Test
  void twoPmjsOpenedInOneBrowserBothStayLoggedIn() throws Exception {
    try (Stack second =
        new Stack(
                Files.createTempDirectory(root, "second"),
                """
                processes:
                  solo:
                    command: sh -c 'echo solo is ready; exec sleep 1000'
                """)
            .serve()) {
      second.awaitState("solo", ProcessState.READY);
      open();
      driver.get(second.api.dashboard());
      until(d -> d.findElements(By.cssSelector("#processes tbody tr[data-id='solo']")).size() == 1);
      // Back to the first without its address: its cookie is still there.
      driver.get(stack.base() + "/");
      until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == 3);
      assertEquals(stack.base() + "/", driver.getCurrentUrl());
      driver.get(second.base() + "/");
      until(d -> d.findElements(By.cssSelector("#processes tbody tr[data-id='solo']")).size() == 1);
      List<String> names =
          driver.manage().getCookies().stream().map(c -> c.getName()).sorted().toList();
      assertTrue(names.contains("pmj_token_" + stack.api.port()), names.toString());
      assertTrue(names.contains("pmj_token_" + second.api.port()), names.toString());
      driver.get("about:blank");
    }
  }

  @Test
  void thePagePmjOpenGivesTheBrowserLogsInAndLeavesACleanAddress() throws Exception {
    Path dir = Files.createDirectories(Files.createTempDirectory(root, "open").resolve(".pmj"));
    Path page =
        Instance.writeOpenPage(
            dir,
            new Instance.State(
                ProcessHandle.current().pid(),
                stack.api.port(),
                stack.api.token(),
                "pmj.yaml",
                "test",
                java.time.Instant.now()));
    // A navigation from a file: a page of another site, as far as cookies go.
    driver.get(page.toUri().toString());
    until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == 3);
    assertEquals(stack.base() + "/", driver.getCurrentUrl());
  }

  @Test
  void withoutAValidCookieThePageSaysToOpenThePrintedAddress() throws Exception {
    driver.get(stack.base() + "/");
    assertEquals("pmj: open the address pmj printed", driver.getTitle(), driver.getPageSource());
    assertTrue(
        driver.findElement(By.tagName("h1")).getText().contains("Open the address pmj up printed"));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.base() + "/"))
                    .header("Accept", "text/html")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    driver.get(stack.base() + "/?token=" + Token.randomText());
    assertEquals("pmj: open the address pmj printed", driver.getTitle());
  }

  @Test
  void everyButtonIsReachableByTabWithAVisibleFocus() {
    open();
    js("document.getElementById('nav-processes').focus()");
    List<String> reached = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      driver.switchTo().activeElement().sendKeys(Keys.TAB);
      WebElement active = driver.switchTo().activeElement();
      String label =
          active.getAttribute("aria-label") != null
              ? active.getAttribute("aria-label")
              : active.getText();
      reached.add(label);
      if (label.equals("Restart web")) {
        String outline = (String) js("return getComputedStyle(arguments[0]).outlineStyle", active);
        assertNotEquals("none", outline, "focus is visible");
        break;
      }
    }
    assertTrue(reached.contains("Restart all"), reached.toString());
    assertTrue(reached.contains("Restart web"), reached.toString());
  }

  @Test
  void lightAndDarkThemesFollowTheSystemAndANarrowWindowDoesNotOverflow() {
    open();
    browser.emulate("prefers-color-scheme", "light");
    String light = (String) js("return getComputedStyle(document.body).backgroundColor");
    browser.emulate("prefers-color-scheme", "dark");
    String dark = (String) js("return getComputedStyle(document.body).backgroundColor");
    assertEquals("rgb(255, 255, 255)", light);
    assertEquals("rgb(22, 25, 29)", dark);
    browser.emulate("prefers-color-scheme", "light");
    until(d -> !cell("ticker", "mem").equals("–") && !cell("ticker", "mem").isEmpty());
    driver.manage().window().setSize(new Dimension(420, 800));
    try {
      long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth");
      assertTrue(overflow <= 0, "the page is " + overflow + " px wider than the window");
      WebElement restart = driver.findElement(By.cssSelector("button[aria-label='Restart quiet']"));
      assertTrue(restart.isDisplayed());
      assertTrue(
          (Boolean)
              js("return arguments[0].getBoundingClientRect().right <= window.innerWidth", restart),
          "the row's buttons are in view without scrolling");
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 800));
    }
  }

  /** The picture in the README: a small project after a few seconds of samples. */
  @Test
  void aScreenshotOfAProjectAtWork() throws Exception {
    stack.close();
    // Another project: the page closes it after the test, as it would the first.
    stack =
        page.use(
            new Stack(
                    Files.createTempDirectory(root, "shop"),
                    """
                name: shop
                processes:
                  migrate:
                    command: sh -c 'echo migrations applied'
                    restart: never
                  db:
                    command: sh -c 'echo db accepting connections; exec sleep 1000'
                    readiness:
                      logLine: accepting connections
                  api:
                    command: python3 @TESTDATA@/ticker.py 0.2
                    dependsOn: {db: ready}
                  web:
                    command: python3 @TESTDATA@/ticker.py 0.5 color
                  worker:
                    command: [python3, -c, "import time\\nwhile True:\\n    sum(range(30000)); time.sleep(0.02)"]
                """)
                .serve());
    stack.awaitState("api", ProcessState.READY);
    open(5);
    until(d -> d.findElements(By.cssSelector("td.cpu polyline[points*=' ']")).size() >= 4);
    stack.until(() -> stack.local.process("worker").cpuPercent(), c -> c > 1);
    // A chart of half its 90 points.
    until(
        d ->
            ((String)
                        js(
                            "return document.querySelector(\"tr[data-id='worker'] td.cpu polyline\").getAttribute('points')"))
                    .trim()
                    .split(" ")
                    .length
                >= 45);
    assertEquals(
        0L,
        js("const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth"),
        "the table fits 1280 columns");
    // Tests write under target/ only; `mvn verify -Dpmj.screenshot=docs` refreshes the README's
    // picture on purpose.
    Path shots =
        "docs".equals(System.getProperty("pmj.screenshot"))
            ? Fixtures.root().resolve("docs")
            : Fixtures.root().resolve("runner/target");
    Files.createDirectories(shots);
    Files.write(
        shots.resolve("dashboard.png"),
        ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }
}
