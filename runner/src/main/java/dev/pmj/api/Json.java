package dev.pmj.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON through Jackson's streaming parser and generator: values are plain Java (Map, List, String,
 * Long, Double, Boolean, null). No data binding: it costs a slow first use and pmj's shapes are few
 * and written out by hand in {@link Codec}.
 */
final class Json {
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();

  private Json() {}

  /** Raised for text that is not JSON; the message says where. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses one JSON value (the whole text). */
  static Object parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new Malformed("empty body; send JSON");
      Object v = value(p);
      if (p.nextToken() != null) {
        throw new Malformed(
            "unexpected text after the JSON value at line "
                + p.currentLocation().getLineNr()
                + ", column "
                + p.currentLocation().getColumnNr());
      }
      return v;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new Malformed("not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value at the parser's current token, as {@link #parse} returns values. */
  static Object value(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          if (map.containsKey(key)) {
            // Which of the two counts differs between readers: none is taken.
            throw new Malformed(
                "duplicate key \""
                    + key
                    + "\" at line "
                    + p.currentTokenLocation().getLineNr()
                    + ", column "
                    + p.currentTokenLocation().getColumnNr());
          }
          p.nextToken();
          map.put(key, value(p));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) list.add(value(p));
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /** Writes JSON with a generator and returns the text. */
  static String write(Writer body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** What writes one value. */
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  /** Writes a plain Java value (as {@link #parse} returns them). */
  static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) writeValue(g, o);
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }

  static String toJson(Object v) {
    return write(g -> writeValue(g, v));
  }

  // ---- reading fields of parsed objects ----

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v) {
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }

  static String string(Map<String, Object> o, String key) {
    return o.get(key) instanceof String s ? s : null;
  }

  static long number(Map<String, Object> o, String key, long fallback) {
    return o.get(key) instanceof Number n ? n.longValue() : fallback;
  }

  static double decimal(Map<String, Object> o, String key) {
    return o.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  static boolean bool(Map<String, Object> o, String key) {
    return Boolean.TRUE.equals(o.get(key));
  }
}
