package dev.pmj.testing;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium, driven by its own chromedriver: both paths are given, so Selenium
 * downloads nothing, and the browser resolves no name but 127.0.0.1.
 */
public final class Browser implements AutoCloseable {
  public final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  public static Browser start() {
    String chromium = Tools.require("chromium");
    String chromedriver = Tools.require("chromedriver");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium);
    o.addArguments(
        "--headless=new",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--window-size=1280,800",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-extensions");
    if ("root".equals(System.getProperty("user.name"))) o.addArguments("--no-sandbox");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .withLogOutput(java.io.OutputStream.nullOutputStream())
            .build();
    ChromeDriver driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new Browser(driver);
  }

  /** Console messages since the last call (errors are {@code SEVERE}). */
  public List<LogEntry> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** The DevTools events since the last call (network requests among them), as JSON text. */
  public List<String> devtools() {
    return driver.manage().logs().get(LogType.PERFORMANCE).getAll().stream()
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Emulates a media feature, such as prefers-color-scheme: dark. */
  public void emulate(String feature, String value) {
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", feature, "value", value))));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
