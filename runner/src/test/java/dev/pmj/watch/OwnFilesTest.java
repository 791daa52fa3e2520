package dev.pmj.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which paths are pmj's own, as the watch reports them (real paths). */
class OwnFilesTest {
  @TempDir Path tmp;

  @Test
  void theFileItsEnvFilesLogsAndOutputArePmjsOwn() throws Exception {
    Path dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("logs"));
    OwnFiles own =
        new OwnFiles(
            List.of(dir.resolve("pmj.yaml")),
            List.of(dir.resolve(".env"), dir.resolve("up.log")),
            List.of(dir.resolve("api/api.log")),
            List.of(dir.resolve("logs")));
    for (String p :
        List.of(
            "pmj.yaml",
            "pmj.yaml.tmp", // saved beside and renamed over it
            ".env", // not there yet: named all the same
            "up.log",
            "api/api.log",
            "api/api.log.1",
            "api/api.log.12",
            "logs",
            "logs/web.log",
            "logs/deep/x")) assertTrue(own.contains(dir.resolve(p)), p);
    for (String p :
        List.of(
            "app.py",
            ".env.local", // the program's own env file
            "up.log.1", // only log files rotate
            "api/api.log.bak",
            "api/api.logx",
            "api/pmj.yaml",
            "logsx/a",
            "sub/.env")) assertFalse(own.contains(dir.resolve(p)), p);
  }

  @Test
  void pathsThroughALinkedFolderAreFoundByTheirRealPath() throws Exception {
    Path real = tmp.toRealPath().resolve("real");
    Files.createDirectories(real);
    Path link = Files.createSymbolicLink(tmp.toRealPath().resolve("link"), real);
    OwnFiles own = new OwnFiles(List.of(link.resolve("pmj.yaml")), List.of(), List.of(), List.of());
    assertTrue(own.contains(real.resolve("pmj.yaml")));
  }

  @Test
  void noneHasNothing() {
    assertFalse(OwnFiles.NONE.contains(Path.of("/pmj.yaml")));
  }
}
