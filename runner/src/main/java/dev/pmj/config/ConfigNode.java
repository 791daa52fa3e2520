package dev.pmj.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed document, YAML or JSON alike, with the position of every value. Schema validation and
 * model building read this tree, so both formats give the same messages.
 */
sealed interface ConfigNode permits ConfigNode.MapNode, ConfigNode.ListNode, ConfigNode.Scalar {

  Mark mark();

  /** A word for the kind of value, as used in messages ("a list", "a number"). */
  String kind();

  /** A mapping; keys keep their order and position. */
  record MapNode(Mark mark, Map<String, Entry> entries) implements ConfigNode {
    public MapNode {
      entries = new LinkedHashMap<>(entries);
    }

    public ConfigNode get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  record Entry(String key, Mark keyMark, ConfigNode value) {}

  record ListNode(Mark mark, List<ConfigNode> items) implements ConfigNode {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A scalar: {@code value} is a String, Long, Double, Boolean or null; {@code text} is how it was
   * written (so "1.10" stays "1.10" when used as a string).
   */
  record Scalar(Mark mark, Object value, String text) implements ConfigNode {
    @Override
    public String kind() {
      if (value == null) return "null";
      if (value instanceof Boolean) return "a boolean";
      if (value instanceof Long) return "an integer";
      if (value instanceof Double) return "a number";
      return "a string";
    }

    /** The value as text, for keys whose schema allows strings, numbers and booleans. */
    public String asText() {
      return value instanceof String s ? s : text;
    }
  }
}
