package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The YAML the exports write reads back, in any YAML reader, as exactly what was written. */
class ExportYamlTextTest {
  private static Object read(String yaml) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  @Test
  void everyStringReadsBackAsItselfAndNotAsANumberBooleanOrNull() {
    List<String> tricky =
        List.of(
            "plain",
            "/usr/bin/env",
            "",
            " leading",
            "trailing ",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "null",
            "~",
            "true",
            "1000",
            "1.5",
            "0x1F",
            "1e3",
            "0o17",
            ".inf",
            "-",
            "-a",
            "a: b",
            "a #b",
            "#x",
            "@x",
            "*x",
            "&x",
            "!x",
            "%x",
            "`x",
            "{a}",
            "[a]",
            "a,b",
            "'q'",
            "\"q\"",
            "back\\slash",
            "line\nbreak",
            "tab\there",
            "bell\u0007",
            "next\u0085line",
            "sep\u2028arator",
            "ünïcödé €",
            "${PMJ_IMAGE:?unset}",
            "5s",
            "500ms",
            "512Mi",
            "on-failure:2",
            "12:30");
    for (String s : tricky) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("value", s);
      doc.put("list", List.of(s, s));
      doc.put(s.isEmpty() ? "empty" : s, "key");
      Object back = read(YamlText.document(List.of("header"), doc));
      Map<String, Object> expected = new LinkedHashMap<>(doc);
      assertEquals(expected, back, "for " + s);
    }
  }

  @Test
  void safeWordsStayPlainForReadability() {
    assertEquals("/usr/bin/env", YamlText.scalar("/usr/bin/env"));
    assertEquals("500ms", YamlText.scalar("500ms"));
    assertEquals("512Mi", YamlText.scalar("512Mi"));
    assertEquals("service_healthy", YamlText.scalar("service_healthy"));
    assertEquals("\"no\"", YamlText.scalar("no"));
    assertEquals("\"8000\"", YamlText.scalar("8000"));
  }

  @Test
  void nestedMapsAndListsOfMapsAreBlocksWithCommentsAbove() {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "api");
    container.put("command", List.of("python3", "-m", "http.server"));
    container.put("env", List.of(Map.of("name", "A"), Map.of("name", "B")));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("containers", List.of(container));
    doc.put("empty", Map.of());
    doc.put("none", List.of());
    doc.put("replicas", 3);
    doc.put("flag", true);
    String text = YamlText.document(List.of("first", "", "line\nwith break"), doc);
    assertEquals(
        """
        # first
        #
        # line with break
        containers:
          - name: api
            command: ["python3", "-m", "http.server"]
            env:
              - name: A
              - name: B
        empty: {}
        none: []
        replicas: 3
        flag: true
        """,
        text);
    assertEquals(doc, read(text));
  }
}
