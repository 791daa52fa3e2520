package dev.pmj.api;

import dev.pmj.supervisor.Control;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /api/processes/ID/scale}: its body {@code {"instances": N}} and its answer. */
final class ScaleCodec {
  private ScaleCodec() {}

  /** The count a scale's body asks for; a 400 for anything but a whole number from 0 to 64. */
  static int instances(String body) {
    Object json = Json.parse(body);
    if (!(json instanceof Map<?, ?>)) throw new Request.BadRequest("send {\"instances\": N}");
    Object v = Json.object(json).get("instances");
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      if (n >= 0 && n <= Control.MAX_INSTANCES) return (int) n;
    }
    throw new Request.BadRequest(
        "instances must be a whole number from 0 to "
            + Control.MAX_INSTANCES
            + " (got "
            + Json.toJson(v)
            + ")");
  }

  static String body(int instances) {
    return "{\"instances\":" + instances + "}";
  }

  static String scaled(Control.Scaled s) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", s.id());
          g.writeNumberField("from", s.from());
          g.writeNumberField("to", s.to());
          g.writeFieldName("started");
          Json.writeValue(g, s.started());
          g.writeFieldName("stopped");
          Json.writeValue(g, s.stopped());
          g.writeFieldName("removed");
          Json.writeValue(g, s.removed());
          g.writeEndObject();
        });
  }

  static Control.Scaled scaled(Object json) {
    Map<String, Object> o = Json.object(json);
    return new Control.Scaled(
        Json.string(o, "id"),
        (int) Json.number(o, "from", 0),
        (int) Json.number(o, "to", 0),
        strings(o.get("started")),
        strings(o.get("stopped")),
        strings(o.get("removed")));
  }

  private static List<String> strings(Object json) {
    List<String> out = new ArrayList<>();
    for (Object o : Json.list(json)) out.add(String.valueOf(o));
    return out;
  }
}
