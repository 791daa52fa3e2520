package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pmj.config.Documents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of pmj import that every converter leans on: YAML text, templates, kinds. */
class ImportPartsTest {
  private static final List<String> AWKWARD =
      List.of(
          "yes",
          "no",
          "on",
          "off",
          "true",
          "null",
          "~",
          "",
          " lead",
          "trail ",
          "1.0",
          "0x1F",
          "010",
          "1e3",
          ".inf",
          "-",
          "- item",
          "--flag",
          "---",
          "a: b",
          "a #b",
          "#x",
          "@at",
          "%p",
          "`tick`",
          "!tag",
          "&anchor",
          "*alias",
          "[x]",
          "{x}",
          "'q'",
          "\"dq\"",
          "back\\slash",
          "tab\there",
          "line\nbreak",
          "nb\u00a0sp",
          "é",
          "${X}",
          "$${Y}",
          "a,b",
          "key:",
          "http://h:1/p?q=1#f",
          "|",
          ">",
          "?",
          "3:4",
          "ünïcödé 😀");

  @Test
  void everyStringReadsBackAsItWasWritten() {
    for (String s : AWKWARD) {
      String doc = "k: " + Yaml.inline(s) + "\nl: " + Yaml.inline(List.of(s, s)) + "\n";
      Documents.Read read = Documents.yaml(doc, "t.yaml");
      assertEquals(List.of(), read.problems(), doc);
      assertEquals(Map.of("k", s, "l", List.of(s, s)), read.value(), doc);
    }
  }

  @Test
  void keysNeedingQuotesAreQuoted() {
    StringBuilder sb = new StringBuilder();
    Yaml.entry(sb, "", "old job", Map.of("a: b", "x"));
    assertEquals(
        Map.of("old job", Map.of("a: b", "x")), Documents.yaml(sb.toString(), "t").value());
  }

  @Test
  void literalTextEscapesOnlyWhatPmjWouldReadAsATemplate() {
    assertEquals("echo $${HOME} $PATH $((1+1))", Templates.literal("echo ${HOME} $PATH $((1+1))"));
    assertEquals("a${b", Templates.literal("a${b"));
    assertEquals("$${a} ${b", Templates.literal("${a} ${b"));
    assertEquals("${X:-d}", Templates.variable("X", "d", true));
    assertEquals("${X-d}", Templates.variable("X", "d", false));
  }

  @Test
  void theKindComesFromTheNameThenTheContent() {
    assertEquals(Import.Kind.PROCFILE, Import.kindByName("Procfile.dev"));
    assertEquals(Import.Kind.PROCESSMAN, Import.kindByName("pb_processes.json"));
    assertEquals(Import.Kind.PROCESS_COMPOSE, Import.kindByName("compose.yml"));
    assertEquals(Import.Kind.PROCESS_COMPOSE, Import.kindByName("process-compose.override.yaml"));
    assertEquals(Import.Kind.PM2, Import.kindByName("ecosystem-smtp.json"));
    assertEquals(Import.Kind.PM2, Import.kindByName("process.yml"));
    assertEquals(Import.Kind.PMJ, Import.kindByName("pmj.yaml"));
    assertNull(Import.kindByName("dev.yaml"));

    assertEquals(
        Import.Kind.PMJ,
        Import.kindByContent(Map.of("version", 1L, "processes", Map.of()), "version: 1"));
    assertEquals(
        Import.Kind.PROCESS_COMPOSE,
        Import.kindByContent(Map.of("version", "0.5", "processes", Map.of()), ""));
    assertEquals(
        Import.Kind.PROCESS_COMPOSE,
        Import.kindByContent(
            Map.of("processes", Map.of("a", Map.of("command", "x", "working_dir", "/"))), ""));
    assertNull(Import.kindByContent(Map.of("processes", Map.of("a", Map.of("command", "x"))), ""));
    assertEquals(
        Import.Kind.PROCESSMAN,
        Import.kindByContent(List.of(Map.of("id", "a", "script", "b")), ""));
    assertEquals(Import.Kind.PM2, Import.kindByContent(List.of(Map.of("script", "b")), ""));
    assertEquals(Import.Kind.PM2, Import.kindByContent(Map.of("apps", List.of()), ""));
    assertEquals(
        Import.Kind.PROCFILE,
        Import.kindByContent(
            Map.of("web", "rails s", "worker", "sidekiq"), "web: rails s\nworker: sidekiq\n"));
  }
}
