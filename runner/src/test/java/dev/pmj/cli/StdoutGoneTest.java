package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pmj's own stdout breaks ({@code pmj up | head -3}): pmj stops everything and exits. */
class StdoutGoneTest {
  @TempDir Path dir;

  @Test
  void whenTheReaderOfItsOutputGoesAwayPmjStopsEverythingAndExits() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          ticker:
            command: python3 @TESTDATA@/ticker.py 0.02
          child:
            command: sh @TESTDATA@/grandchild.sh
        """);
    String tag = "pmj-test-" + UUID.randomUUID();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                "-c",
                "'"
                    + java
                    + "' -XX:TieredStopAtLevel=1 --add-exports java.base/sun.nio.ch=ALL-UNNAMED -cp '"
                    + System.getProperty("java.class.path")
                    + "' dev.pmj.cli.Main up | head -3; wait")
            .directory(dir.toFile());
    pb.environment().put("PMJ_TEST_TAG", tag);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process shell = pb.start();
    try {
      String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "pmj kept running with nobody reading");
      assertEquals(3, out.lines().count(), out);
      String err = new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("pmj: stdout was closed; every process was stopped\n", err);
      assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(10)));
    } finally {
      shell.destroyForcibly();
      Leftovers.killAll(tag);
    }
  }
}
