package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The start-up paths of Main read a line with {@link ArgumentScan} instead of picocli: both must
 * read the same command and the same -f from it. Each line goes to both, picocli with every command
 * (as help and typos see it).
 */
class ArgumentScanTest {
  private static final Path DIR = Path.of("/work/project");

  /** What picocli read from a line it took: the command, the files it set, the command's words. */
  private record Read(String command, List<Path> files, List<String> ids) {}

  private static Read picocli(String... args) {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    Context context = new Context(sink, sink, InputStream.nullInputStream(), Map.of(), DIR, false);
    CommandLine.ParseResult parsed = Main.fullTree(context).parseArgs(args);
    CommandLine.ParseResult sub = parsed.subcommand();
    List<String> ids =
        sub == null
            ? List.of()
            : sub.matchedPositionals().stream()
                .flatMap(p -> p.originalStringValues().stream())
                .toList();
    return new Read(sub == null ? null : sub.commandSpec().name(), context.explicitFiles(), ids);
  }

  private static void agree(String... args) {
    Read read = picocli(args);
    ArgumentScan scan = ArgumentScan.of(args);
    String line = String.join(" ", args);
    assertEquals(read.command(), scan.command(), line);
    assertTrue(scan.fileKnown(), line);
    assertEquals(read.files(), scan.files().stream().map(DIR::resolve).toList(), line);
    if (scan.plain()) assertEquals(read.ids(), scan.words(), line);
  }

  /**
   * pmj exec takes its ID from the words before -- and the command from those after: the scan's
   * words are the first of picocli's positionals, and a -f after -- is the command's.
   */
  @Test
  void execTheWordsBeforeDashDashAreTheIdAndTheRestTheCommand() {
    execReads(List.of("web"), "exec", "web", "--", "sh", "-c", "echo hi");
    execReads(List.of(), "exec", "--", "web");
    execReads(List.of("web.2"), "exec", "-f", "a.yaml", "web.2", "--", "ls", "-f", "x");
    execReads(List.of(), "-f", "a.yaml", "exec", "--", "grep", "-f", "up", "--", "x");
    execReads(List.of("web"), "exec", "web");
  }

  private static void execReads(List<String> id, String... args) {
    agree(args);
    assertEquals(id, ArgumentScan.of(args).words(), String.join(" ", args));
    List<String> all = picocli(args).ids();
    assertEquals(id, all.subList(0, id.size()), String.join(" ", args));
  }

  @Test
  void theCommandAndTheFileOfEveryFormPicocliTakes() {
    agree("up");
    agree("ps");
    agree();
    agree("--version");
    agree("--help");
    agree("-h", "up");
    agree("up", "web", "api");
    agree("restart", "web");
    agree("__warmup", "up");
    // -f in each of its spellings, before the command and after it.
    agree("-f", "a.yaml", "up");
    agree("--file", "a.yaml", "up");
    agree("--file=a.yaml", "up");
    agree("-fa.yaml", "up");
    agree("-f=a.yaml", "up");
    agree("up", "-f", "a.yaml");
    agree("up", "--file", "a.yaml", "web");
    agree("up", "--file=a.yaml");
    agree("up", "-fa.yaml");
    agree("up", "-f=a.yaml");
    agree("restart", "-f", "a.yaml", "web");
    agree("ps", "-f", "up");
    // A file named like a command is a file, before the command as after it.
    agree("-f", "up", "ps");
    agree("--file", "ps", "validate");
    agree("-fps", "validate");
    // Past --debug, on either side, and with other options of the command.
    agree("--debug", "up");
    agree("--debug", "-f", "a.yaml", "up", "--debug");
    agree("-f", "a.yaml", "--debug", "up", "web");
    agree("up", "-d", "-f", "a.yaml");
    agree("up", "--only", "web", "--file", "a.yaml");
    agree("--debug=true", "up");
    // Several files merge left to right: repeated, and before and after the command alike.
    agree("-f", "a.yaml", "up", "-f", "b.yaml");
    agree("--file=a.yaml", "service", "-f", "b.yaml", "install", "-f", "c.yaml");
    agree("-f", "a.yaml", "-f", "b.yaml", "up");
    agree("up", "-f", "a.yaml", "-f", "b.yaml");
    agree("up", "-f", "a.yaml", "--file=b.yaml", "-fc.yaml", "web");
    agree("-f", "a.yaml", "--file", "b.yaml", "ps", "--file", "c.yaml");
    agree("logs", "--file", "a.yaml", "--file", "b.yaml", "-f");
    // A cluster of pmj's short options.
    agree("-hf", "a.yaml", "up");
    agree("-Vfa.yaml");
    // An unknown option as the value: picocli takes it.
    agree("-f", "-x", "up");
    agree("up", "-f", "-x");
    agree("-f", "", "up");
    // logs: -f is --follow, only --file names the file; import has no -f.
    agree("logs", "-f");
    agree("logs", "-fn", "3", "web");
    agree("logs", "--file", "a.yaml", "-f", "web");
    agree("logs", "--file=a.yaml");
    agree("import", "Procfile", "-o", "-");
    // After --, a command's words are its own.
    agree("up", "--", "-f", "a.yaml");
    agree("run", "web", "--", "sh", "-f", "a.yaml");
    agree("run", "web", "sh", "-f", "a.yaml");
  }

  @Test
  void aClusterOfTheCommandsOwnShortOptionsLeavesTheFileToPicocli() {
    // -d takes no value, so -df names the file: only picocli knows which options take one.
    assertEquals(List.of(DIR.resolve("a.yaml")), picocli("up", "-df", "a.yaml").files());
    ArgumentScan scan = ArgumentScan.of("up", "-df", "a.yaml");
    assertEquals("up", scan.command());
    assertFalse(scan.fileKnown());
    assertEquals(List.of(), scan.files());
    assertFalse(scan.plain());
  }

  @Test
  void onlyWordsAndOneSeparateFileArePlain() {
    for (String[] args :
        List.of(
            new String[] {"up"},
            new String[] {"up", "web", "api"},
            new String[] {"-f", "a.yaml", "up", "web"},
            new String[] {"--file", "a.yaml", "ps"},
            new String[] {"stop", "--file", "a.yaml", "web"},
            new String[] {"__warmup", "console"})) {
      assertTrue(ArgumentScan.of(args).plain(), String.join(" ", args));
      agree(args);
    }
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"--debug", "up"},
            new String[] {"up", "--dev"},
            new String[] {"--file=a.yaml", "up"},
            new String[] {"-fa.yaml", "up"},
            new String[] {"-f", "a.yaml", "up", "-f", "b.yaml"},
            new String[] {"up", "-f", "a.yaml", "-f", "b.yaml"},
            new String[] {"up", "--", "web"},
            new String[] {"up", ""},
            new String[] {"-f", "-x", "up"},
            new String[] {"-f", "", "up"},
            new String[] {"up", "-h"})) {
      assertFalse(ArgumentScan.of(args).plain(), String.join(" ", args));
    }
  }

  /** Lines picocli rejects: never plain, so picocli always gets to say what is wrong. */
  @Test
  void aLinePicocliRejectsIsNeverPlain() {
    for (String[] args :
        List.of(
            new String[] {"--", "up"},
            new String[] {"-x", "up"},
            new String[] {"-f", "--debug", "up"},
            new String[] {"-f"},
            new String[] {"up", "-f"},
            new String[] {"up", "--file"},
            new String[] {"upp"},
            new String[] {"-f", "a.yaml", "upp"},
            new String[] {"import", "x", "-f", "y"})) {
      String line = String.join(" ", args);
      try {
        picocli(args);
        fail("picocli took " + line);
      } catch (CommandLine.ParameterException e) {
        // as expected
      }
      assertFalse(ArgumentScan.of(args).plain(), line);
    }
  }

  @Test
  void theWordWhereTheCommandBelongsIsTheTypo() {
    assertEquals("valdate", ArgumentScan.of("valdate").mistyped());
    assertEquals("upp", ArgumentScan.of("-f", "a.yaml", "--debug", "upp").mistyped());
    assertEquals("upp", ArgumentScan.of("--file=a.yaml", "upp", "web").mistyped());
    assertEquals("upp", ArgumentScan.of("--", "upp").mistyped());
    assertNull(ArgumentScan.of("--", "up").mistyped());
    assertNull(ArgumentScan.of("up", "upp").mistyped());
    assertNull(ArgumentScan.of("-f", "a.yaml", "up").mistyped());
  }
}
