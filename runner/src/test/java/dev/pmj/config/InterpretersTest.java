package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README, "The file", on real folder layouts. */
class InterpretersTest {
  @TempDir Path root;
  private final Interpreters posix = new Interpreters(false);

  private Path touch(Path p) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "");
    return p;
  }

  @Test
  void pythonPrefersTheProcessVenvThenTheProjectsThenPython3() throws Exception {
    Path cwd = Files.createDirectories(root.resolve("svc"));
    Path script = cwd.resolve("app.py");
    assertEquals(List.of("python3"), posix.choose("auto", script, cwd, root).argv());
    assertEquals(
        List.of("python"), new Interpreters(true).choose("auto", script, cwd, root).argv());
    Path rootVenv = touch(root.resolve("venv/bin/python"));
    assertEquals(List.of(rootVenv.toString()), posix.choose("auto", script, cwd, root).argv());
    Path winVenv = touch(cwd.resolve("venv/Scripts/python.exe"));
    assertEquals(List.of(winVenv.toString()), posix.choose("auto", script, cwd, root).argv());
    Path dotVenv = touch(cwd.resolve(".venv/bin/python"));
    assertEquals(List.of(dotVenv.toString()), posix.choose("auto", script, cwd, root).argv());
  }

  @Test
  void nodeForJavaScriptShForShellAndDirectExecutionOtherwise() throws Exception {
    for (String ext : List.of("js", "mjs", "cjs")) {
      assertEquals(
          List.of("node"), posix.choose("auto", root.resolve("a." + ext), root, root).argv());
    }
    assertEquals(List.of("sh"), posix.choose("auto", root.resolve("run.sh"), root, root).argv());
    assertEquals(List.of(), posix.choose("auto", root.resolve("server"), root, root).argv());
    assertEquals(List.of(), posix.choose("none", root.resolve("app.py"), root, root).argv());
  }

  @Test
  void typescriptNeedsTsxOrTsNodeInNodeModules() throws Exception {
    Path script = root.resolve("server.ts");
    Interpreters.NotFound e =
        assertThrows(Interpreters.NotFound.class, () -> posix.choose("auto", script, root, root));
    assertEquals(
        "no TypeScript runner for server.ts: install one (npm install --save-dev tsx) so that "
            + "node_modules/.bin/tsx or ts-node exists, or set interpreter",
        e.getMessage());
    Path tsNode = touch(root.resolve("node_modules/.bin/ts-node"));
    assertEquals(List.of(tsNode.toString()), posix.choose("auto", script, root, root).argv());
    Path tsx = touch(root.resolve("node_modules/.bin/tsx"));
    assertEquals(List.of(tsx.toString()), posix.choose("auto", script, root, root).argv());
  }

  @Test
  void anExplicitInterpreterIsSplitAndARelativePathResolvedAgainstCwd() throws Exception {
    assertEquals(
        List.of("python3", "-u"),
        posix.choose("python3 -u", root.resolve("a.py"), root, root).argv());
    assertEquals(
        List.of(root.resolve("bin/py").toString()),
        posix.choose("./bin/py", root.resolve("a.py"), root, root).argv());
  }
}
