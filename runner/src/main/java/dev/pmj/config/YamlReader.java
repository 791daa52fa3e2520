package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML through SnakeYAML's composer, which resolves anchors, aliases and merge keys and
 * enforces an alias limit, then converts the node tree to {@link ConfigNode} with positions.
 * Duplicate keys are found here (not by SnakeYAML) so that every one of them is reported.
 */
final class YamlReader {
  static final int MAX_ALIASES = 50;

  /** Limit on values after alias expansion: an ecosystem file has hundreds, not millions. */
  static final int MAX_NODES = 100_000;

  private final String file;
  private final Problems problems;
  private int nodes;

  YamlReader(String file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /** Returns the document's root, or null when it is empty or could not be read. */
  ConfigNode read(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(64);
    options.setCodePointLimit(Sources.MAX_BYTES + 1);
    options.setMergeOnCompose(false);
    options.setAllowRecursiveKeys(false);
    Node root;
    try {
      Composer composer =
          new Composer(
              new ParserImpl(new StreamReader(new StringReader(text)), options),
              new Resolver(),
              options);
      root = composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      org.yaml.snakeyaml.error.Mark m =
          e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(file, mark(m), "", "YAML syntax error: " + describe(e));
      return null;
    } catch (YAMLException e) {
      String m = firstLine(e.getMessage());
      if (m.startsWith("Number of aliases")) {
        m =
            "more than "
                + MAX_ALIASES
                + " aliases to lists or mappings; refusing to expand them (an alias bomb?)";
      } else {
        m = "cannot read YAML: " + m;
      }
      problems.add(file, Mark.START, "", m);
      return null;
    } catch (StackOverflowError e) {
      problems.add(file, Mark.START, "", "YAML nesting too deep");
      return null;
    }
    if (root == null) return null;
    try {
      return convert(root, "", new IdentityHashMap<>());
    } catch (TooLarge e) {
      problems.add(file, Mark.START, "", e.getMessage());
      return null;
    }
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private ConfigNode convert(Node node, String path, IdentityHashMap<Node, Boolean> inProgress) {
    if (++nodes > MAX_NODES) {
      throw new TooLarge(
          "document expands to more than "
              + MAX_NODES
              + " values through aliases; refusing to read it (alias bomb?)");
    }
    Mark mark = mark(node.getStartMark());
    if (node instanceof ScalarNode s) return scalar(s, mark);
    if (inProgress.put(node, Boolean.TRUE) != null) {
      throw new TooLarge(
          "an alias refers to a value that contains it (recursive alias) at line " + mark.line());
    }
    try {
      if (node instanceof SequenceNode seq) {
        List<ConfigNode> items = new ArrayList<>();
        int i = 0;
        for (Node child : seq.getValue())
          items.add(convert(child, path + "[" + i++ + "]", inProgress));
        return new ConfigNode.ListNode(mark, items);
      }
      MappingNode map = (MappingNode) node;
      Map<String, Entry> entries = new LinkedHashMap<>();
      List<MappingNode> merges = new ArrayList<>();
      for (NodeTuple t : map.getValue()) {
        Node k = t.getKeyNode();
        if (k instanceof ScalarNode ks && Tag.MERGE.equals(ks.getTag())) {
          collectMerges(t.getValueNode(), path, merges);
          continue;
        }
        if (!(k instanceof ScalarNode ks)) {
          problems.add(
              file,
              mark(k.getStartMark()),
              path,
              "keys must be plain names, not "
                  + (k instanceof SequenceNode ? "lists" : "mappings"));
          continue;
        }
        String key = ks.getValue();
        String childPath = path.isEmpty() ? key : path + "." + key;
        Entry previous = entries.get(key);
        if (previous != null) {
          problems.add(
              file,
              mark(k.getStartMark()),
              childPath,
              "duplicate key (first defined at line " + previous.keyMark().line() + ")");
          continue;
        }
        entries.put(
            key,
            new Entry(
                key, mark(k.getStartMark()), convert(t.getValueNode(), childPath, inProgress)));
      }
      // Merge keys (<<: *defaults): explicit keys win, then earlier merged maps win over later
      // ones.
      for (MappingNode m : merges) {
        ConfigNode merged = convert(m, path, inProgress);
        for (Entry e : ((ConfigNode.MapNode) merged).entries().values())
          entries.putIfAbsent(e.key(), e);
      }
      return new ConfigNode.MapNode(mark, entries);
    } finally {
      inProgress.remove(node);
    }
  }

  private void collectMerges(Node value, String path, List<MappingNode> merges) {
    if (value instanceof MappingNode m) {
      merges.add(m);
    } else if (value instanceof SequenceNode seq
        && seq.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
      for (Node n : seq.getValue()) merges.add((MappingNode) n);
    } else {
      problems.add(
          file,
          mark(value.getStartMark()),
          path.isEmpty() ? "<<" : path + ".<<",
          "a merge key (<<) takes a mapping or a list of mappings, such as <<: *defaults");
    }
  }

  private static ConfigNode scalar(ScalarNode s, Mark mark) {
    String text = s.getValue();
    Tag tag = s.getTag();
    Object value = text;
    if (s.isPlain()) {
      if (Tag.NULL.equals(tag)) {
        value = null;
      } else if (Tag.BOOL.equals(tag)) {
        String t = text.toLowerCase();
        value = t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
      } else if (Tag.INT.equals(tag)) {
        try {
          value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
          value = text;
        }
      } else if (Tag.FLOAT.equals(tag)) {
        try {
          value = Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
          value = text;
        }
      }
    }
    return new ConfigNode.Scalar(mark, value, text);
  }

  static Mark mark(org.yaml.snakeyaml.error.Mark m) {
    return m == null ? Mark.START : new Mark(m.getLine() + 1, m.getColumn() + 1);
  }

  /** SnakeYAML's parser words, as a user would say them; the original for anything else. */
  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem().trim();
    String context = e.getContext() == null ? "" : e.getContext().trim();
    if (problem.startsWith("expected <block end>")) {
      return "bad indentation: this line does not line up with the keys above it";
    }
    if (problem.equals("mapping values are not allowed here")) {
      return "unexpected ':' (a value that contains ': ' must be quoted)";
    }
    if (problem.contains("(TAB)") || problem.contains("found character '\\t'")) {
      return "tab character: YAML indents with spaces only";
    }
    if (problem.equals("could not find expected ':'")) {
      return "expected \"key: value\" (is a ':' missing, or a quote left open?)";
    }
    if (problem.isEmpty()) return context;
    return context.isEmpty() ? problem : problem + " (" + context + ")";
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
