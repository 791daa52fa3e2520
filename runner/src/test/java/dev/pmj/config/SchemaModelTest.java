package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.testing.Fixtures;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The schema is the source of truth: the model names exactly its keys, and every key is documented.
 */
class SchemaModelTest {
  private final Schema schema = Schema.load();

  private static Set<String> components(Class<? extends Record> type, String... derived) {
    Set<String> names = new TreeSet<>();
    for (RecordComponent c : type.getRecordComponents()) names.add(c.getName());
    names.removeAll(List.of(derived));
    return names;
  }

  @Test
  void processSpecHasExactlyTheSchemasProcessKeys() {
    assertEquals(
        new TreeSet<>(schema.processKeys()),
        components(ProcessSpec.class, "id", "instance", "devModeSet"));
  }

  @Test
  void projectHasExactlyTheSchemasTopLevelKeys() {
    assertEquals(new TreeSet<>(schema.topLevelKeys()), components(Project.class, "file", "dir"));
  }

  @Test
  void readinessKindsAndOptionsAreTheSchemas() {
    Set<String> kinds = new LinkedHashSet<>();
    for (Class<?> k : Readiness.class.getPermittedSubclasses()) {
      String n = k.getSimpleName();
      kinds.add(Character.toLowerCase(n.charAt(0)) + n.substring(1));
    }
    Set<String> expected = new TreeSet<>(kinds);
    expected.addAll(List.of("interval", "timeout"));
    assertEquals(expected, new TreeSet<>(schema.readinessKeys()));
  }

  @Test
  void everyKeyHasATypeADefaultAndAOneLineDescription() throws Exception {
    String text = Files.readString(Fixtures.root().resolve("schemas/pmj.schema.json"));
    Problems problems = new Problems();
    MapNode root = (MapNode) new JsonReader("pmj.schema.json", problems).read(text);
    assertTrue(problems.isEmpty());
    MapNode top = (MapNode) root.get("properties");
    MapNode process = (MapNode) ((MapNode) root.get("$defs")).get("process");
    MapNode readiness = (MapNode) ((MapNode) process.get("properties")).get("readiness");
    for (MapNode props :
        List.of(top, (MapNode) process.get("properties"), (MapNode) readiness.get("properties"))) {
      for (var e : props.entries().values()) {
        MapNode key = (MapNode) e.value();
        assertTrue(
            key.get("description") instanceof Scalar d && !((String) d.value()).contains("\n"),
            e.key() + ": description");
        assertTrue(key.entries().containsKey("default"), e.key() + ": default");
        assertTrue(key.get("type") != null || key.get("$ref") != null, e.key() + ": type");
      }
    }
  }

  @Test
  void enumsOfTheSchemaMatchTheJavaEnums() {
    assertEquals(
        Arrays.stream(RestartPolicy.values()).map(RestartPolicy::word).toList(),
        schema.enumOf("restart"));
    assertEquals(Arrays.stream(Color.values()).map(Color::word).toList(), schema.enumOf("color"));
    assertEquals(
        Arrays.stream(dev.pmj.config.DependencyCondition.values())
            .map(DependencyCondition::word)
            .toList(),
        List.of("started", "ready", "completed"));
  }
}
