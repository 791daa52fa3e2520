package dev.pmj.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.pmj.config.ConfigNode.Entry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JSON with Jackson's streaming parser into a {@link ConfigNode} tree with positions. */
final class JsonReader {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();

  private final String file;
  private final Problems problems;

  JsonReader(String file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /** Returns the document's root, or null when it is empty or could not be read. */
  ConfigNode read(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) return null;
      ConfigNode root = value(p, "");
      if (p.nextToken() != null) {
        problems.add(
            file,
            mark(p.currentTokenLocation()),
            "",
            "JSON syntax error: unexpected content after the top-level value");
      }
      return root;
    } catch (StreamConstraintsException e) {
      problems.add(file, mark(e.getLocation()), "", "JSON nesting too deep");
      return null;
    } catch (JsonParseException e) {
      problems.add(
          file, mark(e.getLocation()), "", "JSON syntax error: " + clean(e.getOriginalMessage()));
      return null;
    } catch (IOException e) {
      problems.add(file, Mark.START, "", "cannot read JSON: " + e.getMessage());
      return null;
    }
  }

  private ConfigNode value(JsonParser p, String path) throws IOException {
    Mark mark = mark(p.currentTokenLocation());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Entry> entries = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            Mark keyMark = mark(p.currentTokenLocation());
            String childPath = path.isEmpty() ? key : path + "." + key;
            p.nextToken();
            ConfigNode child = value(p, childPath);
            Entry previous = entries.get(key);
            if (previous != null) {
              problems.add(
                  file,
                  keyMark,
                  childPath,
                  "duplicate key (first defined at line " + previous.keyMark().line() + ")");
            } else {
              entries.put(key, new Entry(key, keyMark, child));
            }
          }
          return new ConfigNode.MapNode(mark, entries);
        }
      case START_ARRAY:
        {
          List<ConfigNode> items = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) items.add(value(p, path + "[" + i++ + "]"));
          return new ConfigNode.ListNode(mark, items);
        }
      case VALUE_STRING:
        return new ConfigNode.Scalar(mark, p.getText(), p.getText());
      case VALUE_NUMBER_INT:
        return new ConfigNode.Scalar(mark, p.getLongValue(), p.getText());
      case VALUE_NUMBER_FLOAT:
        return new ConfigNode.Scalar(mark, p.getDoubleValue(), p.getText());
      case VALUE_TRUE:
        return new ConfigNode.Scalar(mark, Boolean.TRUE, "true");
      case VALUE_FALSE:
        return new ConfigNode.Scalar(mark, Boolean.FALSE, "false");
      default:
        return new ConfigNode.Scalar(mark, null, "null");
    }
  }

  private static Mark mark(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) return Mark.START;
    return new Mark(loc.getLineNr(), Math.max(1, loc.getColumnNr()));
  }

  /** Jackson's parser messages are readable but mention its internals at the end; trim those. */
  private static String clean(String message) {
    if (message == null) return "unreadable";
    String m = message;
    int nl = m.indexOf('\n');
    if (nl >= 0) m = m.substring(0, nl);
    m = m.replaceAll(" \\(code \\d+\\)", "");
    m = m.replace("(for Object starting at", "(for the object starting at");
    m = m.replaceAll(" \\(for .* starting at \\[.*\\]\\)", "");
    m = m.replace("Unexpected character ", "unexpected character ");
    m = m.replace("Unexpected end-of-input", "unexpected end of file");
    return m;
  }
}
