package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The dashboard's scale control in a real browser (headless Chromium) against real processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardScaleTest {
  private static final String YAML =
      """
      processes:
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
        api:
          command: python3 @TESTDATA@/echo.py api
          instances: 2
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
    for (String id : List.of("quiet", "api.1", "api.2")) stack.awaitState(id, ProcessState.READY);
  }

  private <T> T until(Function<WebDriver, T> condition) {
    return page.until(condition);
  }

  /** The rows' ids, read in one go: rows come and go while the table follows pmj. */
  @SuppressWarnings("unchecked")
  private List<String> rows() {
    return (List<String>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "return [...document.querySelectorAll('#processes tbody tr')].map(tr => tr.dataset.id)");
  }

  private void scale(String name, String count) {
    WebElement input =
        driver.findElement(By.cssSelector("input[aria-label='Instances of " + name + "']"));
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), count);
    driver.findElement(By.cssSelector("button[aria-label='Scale " + name + "']")).click();
  }

  @Test
  void theCountOnAProcessRowScalesItAndTheTableFollows() throws Exception {
    driver.get(stack.api.dashboard());
    until(d -> rows().size() == 3);
    // One control per process of the file, on its first instance, showing how many run.
    assertEquals(2, driver.findElements(By.cssSelector("form.scale")).size());
    until(
        d ->
            d.findElement(By.cssSelector("input[aria-label='Instances of api']"))
                .getAttribute("value")
                .equals("2"));
    long quiet = stack.local.process("quiet").pid();
    long api1 = stack.local.process("api.1").pid();
    scale("quiet", "3");
    until(d -> rows().equals(List.of("quiet", "quiet.2", "quiet.3", "api.1", "api.2")));
    scale("api", "1");
    until(d -> rows().equals(List.of("quiet", "quiet.2", "quiet.3", "api.1")));
    assertEquals(quiet, stack.local.process("quiet").pid());
    assertEquals(api1, stack.local.process("api.1").pid());
    stack.until(() -> stack.local.process("quiet.3").state(), s -> s == ProcessState.READY);
    // A refused count says pmj's reason; nothing changes.
    scale("quiet", "65");
    until(
        d ->
            d.getPageSource()
                .contains(
                    "Scale quiet failed: instances must be a whole number from 0 to 64 (got 65)"));
    assertEquals(
        List.of("quiet", "quiet.2", "quiet.3", "api.1"),
        stack.local.processes().stream().map(ProcessInfo::id).toList());
  }
}
