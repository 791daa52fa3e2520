package dev.pmj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /rpc}: the JSON-RPC protocol of the original PM2-for-Windows client, exactly as the
 * README ("From a second terminal") gives it. A request is {@code {"method", "params", "id"}}; a
 * reply is {@code {"result", "id"}} or {@code {"error": "text", "id"}}, always with HTTP 200 once
 * the body is JSON. Methods are case-insensitive.
 */
final class Rpc {
  static final String METHOD_NOT_FOUND = "Method not found";
  static final String INVALID_PARAMS = "Invalid params";

  private final Control control;

  Rpc(Control control) {
    this.control = control;
  }

  /** An HTTP status and the reply's JSON. */
  record Reply(int status, String json) {}

  Reply call(String body) {
    Object parsed;
    try {
      parsed = Json.parse(body);
    } catch (Json.Malformed e) {
      return new Reply(400, reply(null, null, "Parse error: " + e.getMessage()));
    }
    if (!(parsed instanceof Map<?, ?>)) {
      return new Reply(
          400, reply(null, null, "Invalid request: send {\"method\", \"params\", \"id\"}"));
    }
    Map<String, Object> req = Json.object(parsed);
    Object id = req.get("id");
    if (!(req.get("method") instanceof String method)) {
      return new Reply(200, reply(id, null, METHOD_NOT_FOUND));
    }
    Object params = req.get("params");
    try {
      Object result =
          switch (method.toLowerCase(Locale.ROOT)) {
            case "list" -> list(params);
            case "status" -> process(control.process(idParam(params)));
            case "start" -> start(params);
            case "stop" -> process(control.stop(idParam(params), "JSON-RPC").processes().get(0));
            case "restart" ->
                process(control.restart(idParam(params), "JSON-RPC").processes().get(0));
            default -> throw new RpcError(METHOD_NOT_FOUND);
          };
      return new Reply(200, reply(id, result, null));
    } catch (RpcError e) {
      return new Reply(200, reply(id, null, e.getMessage()));
    } catch (ControlException e) {
      String text =
          e.kind() == ControlException.Kind.NOT_FOUND
              ? "Process not found: " + (params instanceof String s ? s : "")
              : e.getMessage();
      return new Reply(200, reply(id, null, text));
    }
  }

  private static final class RpcError extends RuntimeException {
    RpcError(String message) {
      super(message, null, false, false);
    }
  }

  private Object list(Object params) {
    if (params != null && !(params instanceof List<?> l && l.isEmpty()))
      throw new RpcError(INVALID_PARAMS);
    List<Object> out = new ArrayList<>();
    for (ProcessInfo p : control.processes()) out.add(process(p));
    return out;
  }

  private static String idParam(Object params) {
    if (params instanceof String s && !s.isBlank() && !Control.ALL.equals(s)) return s;
    if (params instanceof List<?> l
        && l.size() == 1
        && l.get(0) instanceof String s
        && !s.isBlank()) return s;
    throw new RpcError(INVALID_PARAMS);
  }

  /** {@code start}: an id starts a process; an object adds an ad-hoc one and starts it. */
  private Object start(Object params) {
    if (params instanceof Map<?, ?>) {
      Map<String, Object> p = Json.object(params);
      Map<String, Object> process = new LinkedHashMap<>();
      Object name = p.get("id") != null ? p.get("id") : p.get("name");
      if (!(name instanceof String) && !(name instanceof Number))
        throw new RpcError(INVALID_PARAMS);
      process.put("id", String.valueOf(name));
      if (!(p.get("command") instanceof String command) || command.isBlank())
        throw new RpcError(INVALID_PARAMS);
      if (p.get("args") instanceof List<?> args) {
        List<Object> argv = new ArrayList<>();
        argv.add(command);
        for (Object a : args) argv.add(String.valueOf(a));
        process.put("command", argv);
      } else if (p.get("args") == null) {
        process.put("command", command);
      } else {
        throw new RpcError(INVALID_PARAMS);
      }
      if (p.get("working_dir") instanceof String dir && !dir.isEmpty()) process.put("cwd", dir);
      if (p.get("restart") instanceof String restart && !restart.isEmpty()) {
        process.put("restart", restart.replace('_', '-'));
      }
      if (p.get("max_restarts") instanceof Number n) process.put("maxRetries", n.longValue());
      if (p.get("log_file") instanceof String log && !log.isEmpty()) process.put("logFile", log);
      try {
        return process(control.add(Json.toJson(process), "JSON-RPC"));
      } catch (ControlException e) {
        if (e.kind() == ControlException.Kind.INVALID)
          throw new RpcError(INVALID_PARAMS + ": " + e.getMessage());
        throw e;
      }
    }
    return process(control.start(idParam(params), "JSON-RPC").processes().get(0));
  }

  /** A process in the original client's shape. */
  static Map<String, Object> process(ProcessInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.id());
    m.put("status", status(p));
    m.put("pid", p.pid());
    m.put("restarts", (long) p.restarts());
    m.put("start_time", Codec.time(p.startedAt()));
    m.put(
        "uptime",
        uptime(
            p.startedAt() == null
                ? Duration.ZERO
                : Duration.between(p.startedAt(), Instant.now())));
    m.put("cpu", Math.round(p.cpuPercent() * 10) / 10.0);
    m.put("memory", p.memoryBytes());
    return m;
  }

  /** {@code running}, {@code stopped} or {@code restarting}, the three words of the original. */
  static String status(ProcessInfo p) {
    switch (p.state()) {
      case RUNNING:
      case READY:
      case STOPPING:
        return "running";
      case BACKOFF:
        return "restarting";
      case STARTING:
        return p.restarts() > 0 ? "restarting" : "running";
      default:
        return "stopped";
    }
  }

  /** Like Go's Duration.String, to whole seconds: {@code 1h2m3s}, {@code 4m0s}, {@code 5s}. */
  static String uptime(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) return h + "h" + m + "m" + sec + "s";
    if (m > 0) return m + "m" + sec + "s";
    return sec + "s";
  }

  private static String reply(Object id, Object result, String error) {
    return Json.write(
        (JsonGenerator g) -> {
          g.writeStartObject();
          if (error != null) {
            g.writeStringField("error", error);
          } else {
            g.writeFieldName("result");
            Json.writeValue(g, result);
          }
          g.writeFieldName("id");
          Json.writeValue(g, id);
          g.writeEndObject();
        });
  }
}
