package dev.pmj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pmj.config.Color;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.Messages;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessMetrics;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.supervisor.ProcessStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of the API, both ways: what the server writes and what {@link HttpControl} reads
 * back into the same records, so that both sides of {@link Control} agree by construction.
 */
final class Codec {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Codec() {}

  /** RFC 3339 in UTC with milliseconds, or null. */
  static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  static Instant instant(Object text) {
    return text instanceof String s ? Instant.parse(s) : null;
  }

  // ---- processes ----

  static void info(JsonGenerator g, ProcessInfo p) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", p.id());
    g.writeStringField("state", p.state().word());
    g.writeNumberField("pid", p.pid());
    g.writeStringField("startedAt", time(p.startedAt()));
    if (p.startedAt() != null) {
      g.writeNumberField(
          "uptimeSeconds", Duration.between(p.startedAt(), Instant.now()).toMillis() / 1000.0);
    } else {
      g.writeNullField("uptimeSeconds");
    }
    g.writeNumberField("restarts", p.restarts());
    if (p.exitCode() == null) g.writeNullField("exitCode");
    else g.writeNumberField("exitCode", p.exitCode());
    g.writeStringField("exitSignal", p.exitSignal());
    g.writeStringField("lastExit", p.lastExit());
    g.writeStringField("readiness", p.readiness());
    g.writeBooleanField("ready", p.ready());
    g.writeNumberField("cpuPercent", round(p.cpuPercent()));
    g.writeNumberField("cpuSeconds", round(p.cpuSeconds()));
    g.writeNumberField("memoryBytes", p.memoryBytes());
    g.writeNumberField("outputLines", p.outputLines());
    g.writeBooleanField("devMode", p.devMode());
    g.writeBooleanField("adHoc", p.adHoc());
    g.writeBooleanField("interactive", p.interactive());
    g.writeStringField("message", p.message());
    g.writeStringField("reason", p.reason());
    g.writeStringField("since", time(p.since()));
    g.writeStringField("color", p.color());
    g.writeEndObject();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static ProcessInfo info(Object json) {
    Map<String, Object> o = Json.object(json);
    return new ProcessInfo(
        Json.string(o, "id"),
        state(Json.string(o, "state")),
        Json.number(o, "pid", 0),
        instant(o.get("startedAt")),
        (int) Json.number(o, "restarts", 0),
        o.get("exitCode") instanceof Number n ? n.intValue() : null,
        Json.string(o, "readiness"),
        Json.bool(o, "ready"),
        Json.decimal(o, "cpuPercent"),
        Json.decimal(o, "cpuSeconds"),
        Json.number(o, "memoryBytes", 0),
        Json.number(o, "outputLines", 0),
        Json.bool(o, "devMode"),
        Json.bool(o, "adHoc"),
        Json.bool(o, "interactive"),
        Json.string(o, "message") == null ? "" : Json.string(o, "message"),
        instant(o.get("since")),
        Json.string(o, "color"));
  }

  static String infos(List<ProcessInfo> list) {
    return Json.write(
        g -> {
          g.writeStartArray();
          for (ProcessInfo p : list) info(g, p);
          g.writeEndArray();
        });
  }

  static List<ProcessInfo> infos(Object json) {
    List<ProcessInfo> out = new ArrayList<>();
    for (Object o : Json.list(json)) out.add(info(o));
    return out;
  }

  static ProcessState state(String word) {
    return word == null
        ? ProcessState.PENDING
        : ProcessState.valueOf(word.toUpperCase(Locale.ROOT));
  }

  static void status(JsonGenerator g, ProcessStatus s) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", s.id());
    g.writeStringField("state", s.state().word());
    g.writeNumberField("pid", s.pid());
    g.writeNumberField("restarts", s.restarts());
    if (s.exitCode() == null) g.writeNullField("exitCode");
    else g.writeNumberField("exitCode", s.exitCode());
    g.writeStringField("lastExit", s.lastExit());
    g.writeBooleanField("willRestart", s.willRestart());
    g.writeStringField("since", time(s.since()));
    g.writeStringField("message", s.message());
    g.writeStringField("reason", s.reason());
    g.writeStringField("startedAt", time(s.startedAt()));
    g.writeEndObject();
  }

  static ProcessStatus status(Object json) {
    Map<String, Object> o = Json.object(json);
    return new ProcessStatus(
        Json.string(o, "id"),
        state(Json.string(o, "state")),
        Json.number(o, "pid", 0),
        (int) Json.number(o, "restarts", 0),
        o.get("exitCode") instanceof Number n ? n.intValue() : null,
        Json.bool(o, "willRestart"),
        instant(o.get("since")),
        Json.string(o, "message") == null ? "" : Json.string(o, "message"),
        instant(o.get("startedAt")));
  }

  // ---- project and health ----

  static String project(Control.ProjectInfo p) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("name", p.name());
          g.writeStringField("file", p.file());
          g.writeStringField("version", p.version());
          g.writeNumberField("pid", p.pid());
          g.writeStringField("startedAt", time(p.startedAt()));
          g.writeStringField("dashboard", p.dashboard());
          g.writeBooleanField("starting", p.starting());
          g.writeEndObject();
        });
  }

  static Control.ProjectInfo project(Object json) {
    Map<String, Object> o = Json.object(json);
    return new Control.ProjectInfo(
        Json.string(o, "name"),
        Json.string(o, "file"),
        Json.string(o, "version"),
        Json.number(o, "pid", 0),
        instant(o.get("startedAt")),
        Json.string(o, "dashboard"),
        Json.bool(o, "starting"));
  }

  static String health(Control.Health h) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeBooleanField("healthy", h.healthy());
          g.writeArrayFieldStart("notUp");
          for (String p : h.problems()) g.writeString(p);
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  static Control.Health health(Object json) {
    Map<String, Object> o = Json.object(json);
    List<String> problems = new ArrayList<>();
    for (Object p : Json.list(o.get("notUp"))) problems.add(String.valueOf(p));
    return new Control.Health(Json.bool(o, "healthy"), problems);
  }

  // ---- logs ----

  static String line(LogStore.Line l) {
    return Json.write(g -> line(g, l));
  }

  static void line(JsonGenerator g, LogStore.Line l) throws IOException {
    g.writeStartObject();
    g.writeNumberField("seq", l.seq());
    g.writeStringField("id", l.id());
    g.writeStringField("at", time(l.at()));
    g.writeStringField("text", l.text());
    g.writeEndObject();
  }

  static LogStore.Line line(Object json) {
    Map<String, Object> o = Json.object(json);
    return new LogStore.Line(
        Json.number(o, "seq", 0),
        Json.string(o, "id"),
        instant(o.get("at")),
        Json.string(o, "text") == null ? "" : Json.string(o, "text"));
  }

  static String lines(List<LogStore.Line> lines) {
    return Json.write(g -> lines(g, lines));
  }

  static void lines(JsonGenerator g, List<LogStore.Line> lines) throws IOException {
    g.writeStartArray();
    for (LogStore.Line l : lines) line(g, l);
    g.writeEndArray();
  }

  /**
   * Reads an array of lines as it arrives, without the whole text or a tree of it in memory (all
   * kept lines can be tens of megabytes).
   */
  static List<LogStore.Line> readLines(java.io.InputStream in) throws IOException {
    List<LogStore.Line> out = new ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser p = Json.FACTORY.createParser(in)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
        throw new Json.Malformed("expected an array of lines");
      }
      // One line at a time, read as every line of the API is (see line(Object)).
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        out.add(line(Json.value(p)));
      }
    }
    return out;
  }

  // ---- events ----

  /** An event as Server-Sent Events name it, with its JSON. */
  record Sse(String name, String data) {}

  /** An event of one JSON object, whose fields {@code fields} writes. */
  private static Sse sse(String name, Json.Writer fields) {
    return new Sse(
        name,
        Json.write(
            g -> {
              g.writeStartObject();
              fields.write(g);
              g.writeEndObject();
            }));
  }

  /** The SSE form of an event; null for output lines (they are in the logs). */
  static Sse event(ProcessEvent e) {
    if (e instanceof ProcessEvent.Snapshot s) {
      return sse(
          "snapshot",
          g -> {
            g.writeArrayFieldStart("processes");
            for (ProcessStatus p : s.processes()) status(g, p);
            g.writeEndArray();
          });
    }
    if (e instanceof ProcessEvent.StateChanged c) {
      return sse(
          "state",
          g -> {
            g.writeStringField("from", c.from().word());
            g.writeFieldName("status");
            status(g, c.status());
            g.writeStringField("line", Messages.describe(c));
          });
    }
    if (e instanceof ProcessEvent.RestartScheduled r) {
      return sse(
          "restart",
          g -> {
            g.writeStringField("id", r.id());
            g.writeNumberField("delaySeconds", r.delay().toMillis() / 1000.0);
            g.writeNumberField("retry", r.retry());
            g.writeNumberField("maxRetries", r.maxRetries());
            g.writeStringField("line", Messages.describe(r));
          });
    }
    if (e instanceof ProcessEvent.Notice n) {
      return sse(
          "notice",
          g -> {
            g.writeStringField("id", n.id());
            g.writeStringField("text", n.text());
            g.writeStringField("line", Messages.describe(n));
          });
    }
    if (e instanceof ProcessEvent.Added a) {
      return sse(
          "added",
          g -> {
            g.writeFieldName("status");
            status(g, a.status());
            g.writeBooleanField("adHoc", a.adHoc());
            g.writeStringField("color", a.color() == null ? null : a.color().word());
          });
    }
    if (e instanceof ProcessEvent.Removed r) {
      return sse(
          "removed",
          g -> {
            g.writeStringField("id", r.id());
          });
    }
    if (e instanceof ProcessEvent.Sampled s) {
      return sse(
          "metrics",
          g -> {
            g.writeStringField("at", time(Instant.now()));
            g.writeArrayFieldStart("processes");
            for (ProcessMetrics m : s.processes()) {
              g.writeStartObject();
              g.writeStringField("id", m.id());
              g.writeNumberField("pid", m.pid());
              g.writeNumberField("cpuPercent", round(m.cpuPercent()));
              g.writeNumberField("cpuSeconds", round(m.cpuSeconds()));
              g.writeNumberField("memoryBytes", m.memoryBytes());
              g.writeNumberField("processes", m.processes());
              g.writeEndObject();
            }
            g.writeEndArray();
          });
    }
    return null;
  }

  /** An event read back from its SSE form; null for a name this version does not know. */
  static ProcessEvent event(String name, String data) {
    Map<String, Object> o = Json.object(Json.parse(data));
    switch (name) {
      case "snapshot":
        List<ProcessStatus> list = new ArrayList<>();
        for (Object p : Json.list(o.get("processes"))) list.add(status(p));
        return new ProcessEvent.Snapshot(list);
      case "state":
        return new ProcessEvent.StateChanged(
            state(Json.string(o, "from")), status(o.get("status")));
      case "restart":
        return new ProcessEvent.RestartScheduled(
            Json.string(o, "id"),
            Duration.ofMillis(Math.round(Json.decimal(o, "delaySeconds") * 1000)),
            (int) Json.number(o, "retry", 0),
            (int) Json.number(o, "maxRetries", -1));
      case "notice":
        return new ProcessEvent.Notice(Json.string(o, "id"), Json.string(o, "text"));
      case "added":
        String color = Json.string(o, "color");
        return new ProcessEvent.Added(
            status(o.get("status")), Json.bool(o, "adHoc"), color == null ? null : Color.of(color));
      case "removed":
        return new ProcessEvent.Removed(Json.string(o, "id"));
      case "metrics":
        List<ProcessMetrics> metrics = new ArrayList<>();
        for (Object p : Json.list(o.get("processes"))) {
          Map<String, Object> m = Json.object(p);
          metrics.add(
              new ProcessMetrics(
                  Json.string(m, "id"),
                  Json.number(m, "pid", 0),
                  Json.decimal(m, "cpuPercent"),
                  Json.decimal(m, "cpuSeconds"),
                  Json.number(m, "memoryBytes", 0),
                  (int) Json.number(m, "processes", 0)));
        }
        return new ProcessEvent.Sampled(metrics);
      default:
        return null;
    }
  }

  static String reloaded(Control.Reloaded r) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeFieldName("added");
          Json.writeValue(g, r.added());
          g.writeFieldName("removed");
          Json.writeValue(g, r.removed());
          g.writeFieldName("changed");
          Json.writeValue(g, r.changed());
          g.writeFieldName("unchanged");
          Json.writeValue(g, r.unchanged());
          g.writeEndObject();
        });
  }

  static Control.Reloaded reloaded(Object json) {
    Map<String, Object> o = Json.object(json);
    Map<String, List<String>> changed = new java.util.LinkedHashMap<>();
    Json.object(o.get("changed")).forEach((k, v) -> changed.put(k, strings(v)));
    return new Control.Reloaded(
        strings(o.get("added")), strings(o.get("removed")), changed, strings(o.get("unchanged")));
  }

  private static List<String> strings(Object json) {
    List<String> out = new ArrayList<>();
    for (Object o : Json.list(json)) out.add(String.valueOf(o));
    return out;
  }

  // ---- terminals ----

  /** The largest terminal side pmj takes, in columns or rows. */
  static final int MAX_SIDE = 1000;

  /** A resize's body, {@code {"cols": N, "rows": N}}: {cols, rows}. */
  static int[] size(String body) {
    Object json = Json.parse(body);
    if (!(json instanceof Map<?, ?>)) {
      throw new Request.BadRequest("send {\"cols\": N, \"rows\": N}");
    }
    Map<String, Object> o = Json.object(json);
    return new int[] {side(o, "cols"), side(o, "rows")};
  }

  private static int side(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      if (n >= 1 && n <= MAX_SIDE) return (int) n;
    }
    throw new Request.BadRequest(
        key + " must be a whole number from 1 to " + MAX_SIDE + " (got " + Json.toJson(v) + ")");
  }

  static String exited(ProcessState state, Integer code) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("state", state.word());
          if (code == null) g.writeNullField("code");
          else g.writeNumberField("code", code);
          g.writeEndObject();
        });
  }

  static String restarted(long pid) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("pid", pid);
          g.writeEndObject();
        });
  }

  static String error(String message) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", message);
          g.writeEndObject();
        });
  }
}
