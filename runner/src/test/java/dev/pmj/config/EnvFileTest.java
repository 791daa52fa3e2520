package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  private static List<String> parse(String text, Problems problems) {
    return EnvFile.parse(text, ".env", problems).stream()
        .map(l -> l.key() + "=" + l.value() + (l.literal() ? " (literal)" : ""))
        .toList();
  }

  @Test
  void readsAssignmentsExportsQuotesCommentsAndBlankLines() {
    Problems problems = new Problems();
    assertEquals(
        List.of(
            "A=1",
            "B=two words",
            "C=kept # inside",
            "D=x (literal)",
            "E=line1\nline2",
            "F=tab\there",
            "G=",
            "H=a#b",
            "I=spaced"),
        parse(
            """
            # comment
            A=1

            export B=two words   # trailing comment
            C="kept # inside"
            D='x'
            E="line1
            line2"
            F="tab\\there"
            G=
            H=a#b
              I = spaced
            """,
            problems));
    assertEquals(List.of(), problems.sorted());
  }

  @Test
  void anEscapedDollarInDoubleQuotesStartsNoVariable() throws Exception {
    Problems problems = new Problems();
    // As parsed: ${ is kept for the template as $${ (its literal ${); another $ as itself.
    assertEquals(
        List.of("A=cost $5 $${HOME} \\q"), parse("A=\"cost \\$5 \\${HOME} \\q\"\n", problems));
    assertEquals(List.of(), problems.sorted());
  }

  @Test
  void singleQuotesAreLiteral() {
    Problems problems = new Problems();
    assertEquals(List.of("A=${B} \\n (literal)"), parse("A='${B} \\n'\n", problems));
  }

  @Test
  void aMalformedLineIsAnErrorWithItsLineNumber() {
    Problems problems = new Problems();
    parse("A=1\n\nnot an assignment\nB='open\n", problems);
    assertEquals(
        List.of(
            ".env:3:1: expected KEY=VALUE, such as PORT=8000",
            ".env:4:3: B: unclosed single quote"),
        problems.sorted().stream().map(ConfigProblem::format).toList());
  }

  @Test
  void aProblemNeverShowsTheTextOfTheLineItIsAbout() {
    // A private key pasted into an env file by mistake: its lines are secrets.
    String key =
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8+/==
        -----END PRIVATE KEY-----
        S="x" MIIsecretAfterTheQuote
        """;
    Problems problems = new Problems();
    parse(key, problems);
    List<String> lines = problems.sorted().stream().map(ConfigProblem::format).toList();
    assertEquals(
        List.of(
            ".env:1:1: expected KEY=VALUE, such as PORT=8000",
            ".env:2:1: expected KEY=VALUE, such as PORT=8000",
            ".env:3:1: invalid variable name (use letters, digits and _, not starting with a digit)",
            ".env:4:1: expected KEY=VALUE, such as PORT=8000",
            ".env:5:1: S: unexpected text after the closing quote"),
        lines);
    for (String l : lines) {
      for (String secret : List.of("PRIVATE", "MIIE", "MIIs", "secret")) {
        assertEquals(false, l.contains(secret), l);
      }
    }
  }

  @Test
  void aMissingEnvFileIsAProblemThatNamesItsPath(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    LoadResult r =
        dev.pmj.testing.Fixtures.load(
            dir,
            java.util.Map.of(),
            "processes:\n  a:\n    command: x\n    envFile: [local.env]\n    cwd: nowhere\n");
    java.util.List<Path> missing = new java.util.ArrayList<>();
    for (ConfigProblem p : r.problems())
      if (p.missingEnvFile() != null) missing.add(p.missingEnvFile());
    assertEquals(2, r.problems().size(), r.problems().toString());
    assertEquals(java.util.List.of(dir.resolve("local.env")), missing);
  }
}
