package dev.pmj.api;

import dev.pmj.supervisor.ProcessState;
import dev.pmj.testing.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Figures of the dashboard, run by hand (bench/dashboard.sh), not in CI: page weight, time from
 * navigation to a filled table, and frames and long tasks while one of 100 processes writes about
 * 1,000 lines a second into the merged log view.
 */
class DashboardLoadBench {
  @TempDir Path dir;

  @Test
  void figures() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("pmj.bench"), "a benchmark: -Dpmj.bench=true");
    StringBuilder yaml = new StringBuilder("processes:\n");
    // About 1,000 lines a second: ten lines every 10 ms.
    yaml.append(
        "  loud:\n    command: [python3, -c, \"import sys, time\\nn = 0\\nwhile True:\\n"
            + "    for _ in range(10):\\n        n += 1; print('line', n)\\n"
            + "    sys.stdout.flush(); time.sleep(0.01)\"]\n");
    for (int i = 1; i < 100; i++)
      yaml.append("  s").append(i).append(":\n    command: sleep 1000\n");
    try (Stack stack = new Stack(dir, yaml.toString()).serve();
        Browser browser = Browser.start()) {
      stack.awaitState("s99", ProcessState.READY);
      var driver = browser.driver;
      JavascriptExecutor js = (JavascriptExecutor) driver;
      driver.get(stack.api.dashboard());
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() == 100);
      Object filled =
          js.executeScript("return performance.getEntriesByName('pmj-table-filled')[0].startTime");
      Object weight =
          js.executeScript(
              "return performance.getEntriesByType('navigation')[0].encodedBodySize"
                  + " + performance.getEntriesByType('resource').filter(r => r.name.includes('/assets/'))"
                  + ".reduce((s, r) => s + r.encodedBodySize, 0)");
      driver.get(stack.base() + "/#/logs");
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .until(d -> d.findElements(By.cssSelector("#log div")).size() >= 500);
      long linesBefore = stack.local.process("loud").outputLines();
      js.executeScript("window.pmjStats.longTasks = 0; window.pmjStats.longTaskMs = 0;");
      @SuppressWarnings("unchecked")
      Map<String, Object> frames =
          (Map<String, Object>)
              js.executeAsyncScript(
                  "const done = arguments[0]; let n = 0; const t0 = performance.now();"
                      + " function f(t) { n++; if (t - t0 < 10000) requestAnimationFrame(f);"
                      + " else done({frames: n, seconds: (t - t0) / 1000}); } requestAnimationFrame(f);");
      long lines = stack.local.process("loud").outputLines() - linesBefore;
      Object longTasks = js.executeScript("return window.pmjStats");
      double seconds = ((Number) frames.get("seconds")).doubleValue();
      System.out.printf(
          "dashboard page_weight_bytes %s (index.html and every asset, uncompressed)%n", weight);
      System.out.printf(
          "dashboard table_filled_ms %.0f (navigation start to 100 rows)%n",
          ((Number) filled).doubleValue());
      System.out.printf("dashboard log_lines_per_s %.0f (one process of 100)%n", lines / seconds);
      System.out.printf(
          "dashboard frames_per_s %.1f (over %.1f s of the merged log view)%n",
          ((Number) frames.get("frames")).doubleValue() / seconds, seconds);
      System.out.printf("dashboard long_tasks %s%n", longTasks);
      System.out.printf(
          "dashboard lines_in_page %s%n",
          js.executeScript("return document.querySelectorAll('#log div').length"));
      driver.get("about:blank");
    }
  }
}
