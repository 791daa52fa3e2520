package dev.pmj.api;

import dev.pmj.testing.Browser;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real Chromium, for a test class that registers it as a static field: one
 * browser per class (its start costs seconds), and per test the pmj stack the page talks to ({@link
 * #use}), closed after the test with the page left blank and the window at its size again.
 */
final class BrowserPage implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  private Browser browser;
  private Stack stack;

  @Override
  public void beforeAll(ExtensionContext context) {
    browser = Browser.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (browser != null) browser.close();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (browser != null) {
      browser.driver.get("about:blank");
      browser.driver.manage().window().setSize(new Dimension(1280, 800));
    }
    if (stack != null) {
      stack.close();
      stack = null;
    }
  }

  Browser browser() {
    return browser;
  }

  WebDriver driver() {
    return browser.driver;
  }

  /** The stack of this test: closed after it. */
  Stack use(Stack s) {
    stack = s;
    return s;
  }

  /** Waits (20 s at most) until {@code condition} answers other than null or false. */
  <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(condition);
  }
}
