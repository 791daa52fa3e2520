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
    // through the groups (Restart, Stop, Watch, Logs), whose components name the keys they hold
    Set<String> keys = new TreeSet<>(ProcessSpec.keys());
    keys.removeAll(List.of("id", "instance", "devModeSet", "envFromFiles"));
    assertEquals(new TreeSet<>(schema.processKeys()), keys);
    assertEquals(ProcessSpec.keys().size(), keys.size() + 4, "no key held twice");
  }

  @Test
  void projectHasExactlyTheSchemasTopLevelKeys() {
    assertEquals(
        new TreeSet<>(schema.topLevelKeys()),
        components(Project.class, "file", "dir", "layers", "selection"));
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

  /** The tree without positions: maps as ordered key lists, scalars as their value and type. */
  private static Object shape(ConfigNode node) {
    if (node instanceof MapNode m) {
      List<Object> out = new java.util.ArrayList<>();
      for (ConfigNode.Entry e : m.entries().values()) out.add(List.of(e.key(), shape(e.value())));
      return out;
    }
    if (node instanceof ConfigNode.ListNode l) {
      List<Object> out = new java.util.ArrayList<>();
      out.add("list");
      for (ConfigNode item : l.items()) out.add(shape(item));
      return out;
    }
    Scalar sc = (Scalar) node;
    return sc.value() == null ? "null" : sc.value().getClass().getSimpleName() + ":" + sc.value();
  }

  @Test
  void theBundledSchemaReadsAsYamlExactlyAsItReadsAsJson() throws Exception {
    String text;
    try (var in = Schema.class.getResourceAsStream(Schema.RESOURCE)) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Problems json = new Problems();
    Problems yaml = new Problems();
    Object expected = shape(new JsonReader("s", json).read(text));
    Object actual = shape(new YamlReader("s", yaml).read(text));
    assertTrue(json.isEmpty() && yaml.isEmpty(), json.sorted() + " " + yaml.sorted());
    assertEquals(expected, actual);
    assertTrue(expected.toString().contains("processes"), "the whole schema was compared");
  }
}
