package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON Schema of the ecosystem file ({@code schemas/pmj.schema.json}, bundled in the jar), and
 * a validator for the subset of JSON Schema it uses: {@code $ref}, {@code type}, {@code enum},
 * {@code properties}, {@code patternProperties}, {@code additionalProperties}, {@code
 * propertyNames}, {@code required}, {@code items}, {@code pattern}, {@code minimum}, {@code
 * maximum}. Our own validator, rather than a general library, so that every problem carries the
 * exact line and column of the key or value, and unknown keys and values get a did-you-mean.
 */
final class Schema {
  static final String RESOURCE = "/dev/pmj/config/pmj.schema.json";

  private final MapNode root;

  private Schema(MapNode root) {
    this.root = root;
  }

  /** The schema in the jar, read once (its first use reads it: about 10 ms on a cold JVM). */
  public static Schema load() {
    return Bundled.SCHEMA;
  }

  private static final class Bundled {
    static final Schema SCHEMA = read();
  }

  private static Schema read() {
    try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("schema missing from the jar: " + RESOURCE);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Problems problems = new Problems();
      // Jackson's streaming parser: pmj up loads it anyway, and it reads the 12 KB faster than
      // SnakeYAML (docs/startup.md, "The bundled schema").
      ConfigNode node = new JsonReader("pmj.schema.json", problems).read(text);
      if (!problems.isEmpty() || !(node instanceof MapNode map)) {
        throw new IllegalStateException("bundled schema is invalid: " + problems.sorted());
      }
      return new Schema(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keys allowed at the top level of the file. */
  public Set<String> topLevelKeys() {
    return keysOf(root);
  }

  /** Keys allowed in a process. */
  public Set<String> processKeys() {
    return keysOf(processSchema());
  }

  /** Keys allowed in a readiness probe. */
  public Set<String> readinessKeys() {
    return keysOf(readiness().schema);
  }

  /**
   * The keys of one mapping of the file: the top level, a process, a readiness probe. Loading reads
   * defaults, allowed words and integer ranges from here, so the schema is their one source.
   */
  final class Keys {
    private final MapNode schema;

    private Keys(MapNode schema) {
      this.schema = schema;
    }

    /** The key's default, as a node (null when the default is null). */
    ConfigNode defaultOf(String key) {
      return Schema.this.defaultOf(schema, key);
    }

    /** The values a string key may take, from its {@code enum}; empty when any. */
    List<String> enumOf(String key) {
      List<String> values = new ArrayList<>();
      if (property(key).get("enum") instanceof ListNode list) {
        for (ConfigNode n : list.items()) values.add(((Scalar) n).asText());
      }
      return values;
    }

    /** Whether the schema allows the integer {@code n} for {@code key}: its enum and bounds. */
    boolean accepts(String key, long n) {
      MapNode prop = (MapNode) ((MapNode) schema.get("properties")).get(key);
      return prop == null || allows(prop, n);
    }

    private MapNode property(String key) {
      return deref((MapNode) ((MapNode) schema.get("properties")).get(key));
    }
  }

  Keys topLevel() {
    return new Keys(root);
  }

  Keys process() {
    return new Keys(processSchema());
  }

  Keys readiness() {
    return new Keys(
        deref((MapNode) ((MapNode) processSchema().get("properties")).get("readiness")));
  }

  /** The values a process's string key may take, from its {@code enum}. */
  List<String> enumOf(String processKey) {
    return process().enumOf(processKey);
  }

  /** An integer within the keyword's enum, minimum and maximum, as {@link #check} holds them. */
  private boolean allows(MapNode schema, long n) {
    if (keyword(schema, "enum") instanceof ListNode allowed
        && allowed.items().stream().noneMatch(v -> equal(((Scalar) v).value(), n))) {
      return false;
    }
    if (keyword(schema, "minimum") instanceof Scalar min
        && n < ((Number) min.value()).longValue()) {
      return false;
    }
    return !(keyword(schema, "maximum") instanceof Scalar max
        && n > ((Number) max.value()).longValue());
  }

  private ConfigNode defaultOf(MapNode schema, String key) {
    MapNode prop = (MapNode) ((MapNode) schema.get("properties")).get(key);
    if (prop == null) throw new IllegalArgumentException("no such key in the schema: " + key);
    ConfigNode d = prop.get("default");
    if (d == null) d = deref(prop).get("default");
    return d instanceof Scalar s && s.value() == null ? null : d;
  }

  private MapNode processSchema() {
    MapNode processes = (MapNode) ((MapNode) root.get("properties")).get("processes");
    return deref((MapNode) processes.get("additionalProperties"));
  }

  private static Set<String> keysOf(MapNode schema) {
    MapNode props = (MapNode) schema.get("properties");
    return props == null ? Set.of() : new LinkedHashSet<>(props.entries().keySet());
  }

  private MapNode deref(MapNode schema) {
    if (schema.get("$ref") instanceof Scalar ref) return lookupRef((String) ref.value());
    return schema;
  }

  private MapNode lookupRef(String ref) {
    if (!ref.startsWith("#/$defs/")) throw new IllegalStateException("unsupported $ref " + ref);
    return (MapNode) ((MapNode) root.get("$defs")).get(ref.substring("#/$defs/".length()));
  }

  private static String refName(MapNode schema) {
    return schema.get("$ref") instanceof Scalar ref
        ? ((String) ref.value()).replace("#/$defs/", "")
        : null;
  }

  // ---- validation ----

  /** Checks a whole document; problems are added with positions in {@code file}. */
  void validate(ConfigNode document, String file, Problems problems) {
    check(root, document, "", file, problems);
  }

  /** Keyword lookup that sees the schema's own keywords first, then those of its $ref. */
  private ConfigNode keyword(MapNode schema, String name) {
    ConfigNode own = schema.get(name);
    if (own != null) return own;
    MapNode target = schema.get("$ref") instanceof Scalar ? deref(schema) : null;
    return target == null ? null : target.get(name);
  }

  private void check(
      MapNode schema, ConfigNode value, String path, String file, Problems problems) {
    String ref = refName(schema);
    if (!typeMatches(schema, value)) {
      problems.add(file, value.mark(), path, typeMessage(schema, ref, value));
      return;
    }
    if (keyword(schema, "enum") instanceof ListNode allowed && value instanceof Scalar s) {
      List<String> names =
          allowed.items().stream().map(n -> ((Scalar) n).asText()).collect(Collectors.toList());
      boolean ok = allowed.items().stream().anyMatch(n -> equal(((Scalar) n).value(), s.value()));
      if (!ok) {
        String got = s.value() instanceof String str ? "\"" + str + "\"" : s.text();
        String dym = Suggestions.didYouMean(s.asText(), names);
        problems.add(
            file,
            value.mark(),
            path,
            "must be one of "
                + String.join(", ", names)
                + " (got "
                + got
                + (dym.isEmpty() ? "" : "; " + dym)
                + ")");
        return;
      }
    }
    if (value instanceof Scalar s
        && s.value() instanceof String str
        && keyword(schema, "pattern") instanceof Scalar p) {
      if (!Pattern.compile((String) p.value()).matcher(str).matches()) {
        problems.add(file, value.mark(), path, patternMessage(schema, ref, str));
        return;
      }
    }
    if (value instanceof Scalar s && s.value() instanceof Long n) {
      if (keyword(schema, "minimum") instanceof Scalar min
          && n < ((Number) min.value()).longValue()) {
        problems.add(
            file, value.mark(), path, "must be " + min.text() + " or more (got " + n + ")");
        return;
      }
      if (keyword(schema, "maximum") instanceof Scalar max
          && n > ((Number) max.value()).longValue()) {
        problems.add(
            file, value.mark(), path, "must be " + max.text() + " or less (got " + n + ")");
        return;
      }
    }
    if (value instanceof MapNode map) checkObject(schema, map, path, file, problems);
    if (value instanceof ListNode list && keyword(schema, "items") instanceof MapNode items) {
      int i = 0;
      for (ConfigNode item : list.items())
        check(items, item, path + "[" + i++ + "]", file, problems);
    }
  }

  private void checkObject(
      MapNode schema, MapNode map, String path, String file, Problems problems) {
    MapNode props = keyword(schema, "properties") instanceof MapNode p ? p : null;
    ConfigNode additional = keyword(schema, "additionalProperties");
    MapNode names = keyword(schema, "propertyNames") instanceof MapNode n ? n : null;
    Set<String> suggested = new java.util.HashSet<>();
    for (Entry e : map.entries().values()) {
      String childPath = path.isEmpty() ? e.key() : path + "." + e.key();
      if (names != null
          && names.get("pattern") instanceof Scalar p
          && !Pattern.compile((String) p.value()).matcher(e.key()).matches()) {
        String why =
            names.get("description") instanceof Scalar d
                ? " (" + sentence((String) d.value()) + ")"
                : "";
        problems.add(file, e.keyMark(), childPath, "invalid name \"" + e.key() + "\"" + why);
        continue;
      }
      ConfigNode propSchema = props == null ? null : props.get(e.key());
      MapNode patternSchema = matchingPattern(schema, e.key());
      if (propSchema instanceof MapNode ps) {
        check(ps, e.value(), childPath, file, problems);
      } else if (patternSchema != null) {
        check(patternSchema, e.value(), childPath, file, problems);
      } else if (additional instanceof MapNode as) {
        check(as, e.value(), childPath, file, problems);
      } else if (additional instanceof Scalar b && Boolean.FALSE.equals(b.value())) {
        Set<String> allowed = props == null ? Set.of() : props.entries().keySet();
        String dym = Suggestions.didYouMean(e.key(), allowed);
        String closest = Suggestions.closest(e.key(), allowed);
        if (closest != null) suggested.add(closest);
        problems.add(
            file,
            e.keyMark(),
            childPath,
            "unknown key ("
                + (dym.isEmpty() ? "allowed: " + String.join(", ", allowed) : dym)
                + ")");
      }
    }
    if (keyword(schema, "required") instanceof ListNode required) {
      for (ConfigNode r : required.items()) {
        String key = (String) ((Scalar) r).value();
        // A misspelled key already says "did you mean" this one: no second message for it.
        if (map.get(key) == null && !suggested.contains(key)) {
          problems.add(file, map.mark(), path, "missing required key \"" + key + "\"");
        }
      }
    }
  }

  private MapNode matchingPattern(MapNode schema, String key) {
    if (!(keyword(schema, "patternProperties") instanceof MapNode patterns)) return null;
    for (Entry p : patterns.entries().values()) {
      if (Pattern.compile(p.key()).matcher(key).find() && p.value() instanceof MapNode m) return m;
    }
    return null;
  }

  private boolean typeMatches(MapNode schema, ConfigNode value) {
    ConfigNode type = keyword(schema, "type");
    if (type == null) return true;
    for (String t : types(type)) {
      if (isType(t, value)) return true;
    }
    return false;
  }

  private static List<String> types(ConfigNode type) {
    List<String> out = new ArrayList<>();
    if (type instanceof Scalar s) out.add((String) s.value());
    if (type instanceof ListNode l)
      for (ConfigNode n : l.items()) out.add((String) ((Scalar) n).value());
    return out;
  }

  private static boolean isType(String type, ConfigNode v) {
    Object x = v instanceof Scalar s ? s.value() : null;
    switch (type) {
      case "object":
        return v instanceof MapNode;
      case "array":
        return v instanceof ListNode;
      case "string":
        return x instanceof String;
      case "integer":
        return x instanceof Long;
      case "number":
        return x instanceof Long || x instanceof Double;
      case "boolean":
        return x instanceof Boolean;
      case "null":
        return v instanceof Scalar s && s.value() == null;
      default:
        throw new IllegalStateException("unsupported type in schema: " + type);
    }
  }

  private String typeMessage(MapNode schema, String ref, ConfigNode value) {
    if ("size".equals(ref)) {
      if (value instanceof Scalar s && (s.value() instanceof Long || s.value() instanceof Double)) {
        return sizeHint()
            + " (got "
            + s.text()
            + ": a bare number has no unit; write \""
            + s.text()
            + "MB\" or \""
            + s.text()
            + "KB\")";
      }
      return sizeHint() + " (got " + value.kind() + ")";
    }
    if ("duration".equals(ref)) {
      if (value instanceof Scalar s && (s.value() instanceof Long || s.value() instanceof Double)) {
        return durationHint()
            + " (got "
            + s.text()
            + ": a bare number has no unit; write \""
            + s.text()
            + "s\" or \""
            + s.text()
            + "ms\")";
      }
      return durationHint() + " (got " + value.kind() + ")";
    }
    List<String> words = new ArrayList<>();
    for (String t : types(keyword(schema, "type"))) words.add(typeWord(t));
    String expected =
        words.size() == 1
            ? words.get(0)
            : String.join(", ", words.subList(0, words.size() - 1))
                + " or "
                + words.get(words.size() - 1);
    String got =
        value instanceof Scalar s && s.value() instanceof String str
            ? "\"" + str + "\""
            : value.kind();
    if (value instanceof Scalar s
        && (s.value() instanceof Long
            || s.value() instanceof Double
            || s.value() instanceof Boolean)) {
      got = value.kind() + " " + s.text();
    }
    return "must be " + expected + " (got " + got + ")";
  }

  private static String typeWord(String t) {
    switch (t) {
      case "object":
        return "a mapping";
      case "array":
        return "a list";
      case "integer":
        return "an integer";
      case "null":
        return "null";
      default:
        return "a " + t;
    }
  }

  private String patternMessage(MapNode schema, String ref, String got) {
    if ("duration".equals(ref)) return durationHint() + " (got \"" + got + "\")";
    if ("size".equals(ref)) return sizeHint() + " (got \"" + got + "\")";
    if ("profile".equals(ref)) {
      return "must be a profile name: letters, digits, _, . and - (got \"" + got + "\")";
    }
    return "must match " + ((Scalar) keyword(schema, "pattern")).value() + " (got \"" + got + "\")";
  }

  /** A description as a clause inside a message: lower-case start, no final period. */
  private static String sentence(String description) {
    String d =
        description.endsWith(".")
            ? description.substring(0, description.length() - 1)
            : description;
    return d.isEmpty() ? d : Character.toLowerCase(d.charAt(0)) + d.substring(1);
  }

  private static String sizeHint() {
    return "must be a size such as 512KB, 10MB or 1GB";
  }

  private static String durationHint() {
    return "must be a duration such as 250ms, 5s, 2m or 1h30m";
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return a != null && a.equals(b);
  }
}
