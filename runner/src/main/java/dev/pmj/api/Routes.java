package dev.pmj.api;

import com.sun.net.httpserver.HttpExchange;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessInfo;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request once its headers are in: admitted by {@link Auth}, its body read whole (and its
 * size checked) before anything is done, then sent to its endpoint; what goes wrong is answered as
 * a status and a JSON {@code {"error": ...}}, never a stack trace.
 */
final class Routes {
  private static final Pattern PROCESS =
      Pattern.compile(
          "^/api/processes/([A-Za-z0-9][A-Za-z0-9_.-]*)(/(start|stop|restart|logs|terminal|input|resize|scale))?$");

  private final Control control;
  private final Auth auth;
  private final Streams streams;
  private final Rpc rpc;
  private final Dashboard dashboard = new Dashboard();

  Routes(Control control, Auth auth, Streams streams) {
    this.control = control;
    this.auth = auth;
    this.streams = streams;
    this.rpc = new Rpc(control);
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private static final class WrongMethod extends RuntimeException {
    final String allowed;

    WrongMethod(String allowed) {
      super(null, null, false, false);
      this.allowed = allowed;
    }
  }

  /**
   * @param watch the watch of its body (null: none)
   */
  void handle(HttpExchange ex, RequestThreads.Watch watch) throws IOException {
    try {
      Request req = new Request(ex, watch);
      if (!auth.admits(ex, req)) return;
      // The whole body is read (and its size checked) before anything is done.
      if (req.changesState() || Request.declaresBody(ex)) req.body();
      route(ex, req);
    } catch (Request.TooLarge e) {
      Responses.send(ex, 413, Codec.error("request body over " + Request.MAX_BODY / 1024 + " KiB"));
    } catch (Request.BadRequest e) {
      Responses.send(ex, 400, Codec.error(e.getMessage()));
    } catch (Json.Malformed e) {
      Responses.send(ex, 400, Codec.error(e.getMessage()));
    } catch (NotFound e) {
      Responses.send(ex, 404, Codec.error(e.getMessage()));
    } catch (WrongMethod e) {
      ex.getResponseHeaders().set("Allow", e.allowed);
      Responses.send(ex, 405, Codec.error("method not allowed here; allowed: " + e.allowed));
    } catch (ControlException e) {
      Responses.sendProblem(ex, e);
    } catch (RuntimeException e) {
      Responses.send(ex, 500, Codec.error("internal error: " + e));
    }
    // An IOException (a client gone or too slow) goes to the JDK's server, which closes the
    // connection and stops counting it; closing the exchange here would leave it counted.
  }

  private void route(HttpExchange ex, Request req) throws IOException {
    String path = req.path;
    switch (path) {
      case "/":
        only(req, "GET");
        dashboard.serve(ex, path);
        return;
      case "/api/project":
        only(req, "GET");
        Responses.send(ex, 200, Codec.project(control.project()));
        return;
      case "/api/processes":
        only(req, "GET", "POST");
        if (req.isGet()) {
          Responses.send(ex, 200, Codec.infos(control.processes()));
        } else {
          ProcessInfo added = control.add(req.body(), by(req));
          Responses.send(ex, 201, Json.write(g -> Codec.info(g, added)));
        }
        return;
      case "/api/logs":
        only(req, "GET");
        logs(ex, req, null);
        return;
      case "/api/events":
        only(req, "GET");
        streams.events(ex);
        return;
      case "/api/health":
        only(req, "GET");
        Control.Health h = control.health();
        Responses.send(ex, h.healthy() ? 200 : 503, Codec.health(h));
        return;
      case "/api/reload":
        only(req, "POST");
        Responses.send(ex, 200, Codec.reloaded(control.reload(by(req))));
        return;
      case "/api/shutdown":
        only(req, "POST");
        Responses.send(
            ex,
            202,
            Json.write(
                g -> {
                  g.writeStartObject();
                  g.writeBooleanField("stopping", true);
                  g.writeEndObject();
                }));
        control.shutdown(by(req));
        return;
      case "/rpc":
        only(req, "POST");
        Rpc.Reply reply = rpc.call(req.body());
        Responses.send(ex, reply.status(), reply.json());
        return;
      case "/metrics":
        only(req, "GET");
        Responses.send(ex, 200, MetricsText.CONTENT_TYPE, MetricsText.render(control.processes()));
        return;
      default:
        break;
    }
    if (path.startsWith("/assets/")) {
      only(req, "GET");
      dashboard.serve(ex, path);
      return;
    }
    Matcher m = PROCESS.matcher(path);
    if (!m.matches()) throw new NotFound("no such endpoint: " + path);
    String id = m.group(1);
    String action = m.group(3);
    if (action == null) {
      only(req, "GET", "DELETE");
      if (req.isGet()) {
        ProcessInfo p = control.process(id);
        Responses.send(ex, 200, Json.write(g -> Codec.info(g, p)));
      } else {
        req.body();
        ProcessInfo p = control.remove(id, by(req));
        Responses.send(ex, 202, Json.write(g -> Codec.info(g, p)));
      }
      return;
    }
    if (action.equals("logs")) {
      only(req, "GET");
      if (!id.equals(LogStore.PMJ)) control.process(id);
      logs(ex, req, id);
      return;
    }
    switch (action) {
      case "terminal" -> {
        only(req, "GET");
        streams.terminal(ex, id);
        return;
      }
      case "input" -> {
        only(req, "POST");
        control.input(id, req.bytes());
        Responses.sendBytes(ex, 204, new byte[0]);
        return;
      }
      case "scale" -> {
        only(req, "POST");
        Control.Scaled s = control.scale(id, ScaleCodec.instances(req.body()), by(req));
        Responses.send(ex, s.from() == s.to() ? 200 : 202, ScaleCodec.scaled(s));
        return;
      }
      case "resize" -> {
        only(req, "POST");
        int[] size = Codec.size(req.body());
        control.resize(id, size[0], size[1]);
        Responses.sendBytes(ex, 204, new byte[0]);
        return;
      }
      default -> {}
    }
    only(req, "POST");
    req.body();
    Control.CommandResult r =
        switch (action) {
          case "start" -> control.start(id, by(req));
          case "stop" -> control.stop(id, by(req));
          default -> control.restart(id, by(req));
        };
    int status = r.changed() ? 202 : 200;
    if (Control.ALL.equals(id)) {
      Responses.send(ex, status, Codec.infos(r.processes()));
    } else {
      Responses.send(ex, status, Json.write(g -> Codec.info(g, r.processes().get(0))));
    }
  }

  /** Who asked, for pmj's line about the command: the client names itself in a header. */
  private static String by(Request req) {
    String client = req.header("X-Pmj-Client");
    if (client == null || client.isBlank()) return "API";
    String c = client.strip();
    return c.length() > 40 ? c.substring(0, 40) : c;
  }

  /** HEAD is taken wherever GET is, and answered with GET's status and headers. */
  private static void only(Request req, String... methods) {
    for (String m : methods) if (m.equals(req.method) || m.equals("GET") && req.isGet()) return;
    throw new WrongMethod(String.join(", ", methods));
  }

  /** Kept lines, of one process ({@code id}) or of those the query names; followed on request. */
  private void logs(HttpExchange ex, Request req, String id) throws IOException {
    long since = req.number("since", 0);
    String lastEventId = req.header("Last-Event-ID");
    if (lastEventId != null) {
      try {
        since = Math.max(since, Long.parseLong(lastEventId.trim()));
      } catch (NumberFormatException e) {
        throw new Request.BadRequest(
            "Last-Event-ID must be a line's seq (got \"" + lastEventId + "\")");
      }
    }
    // A client that resumes gets every line after the last it saw, however many.
    int tail = lastEventId != null ? -1 : (int) Math.min(Integer.MAX_VALUE, req.number("tail", -1));
    boolean follow = req.bool("follow");
    boolean withPmj = !req.query.containsKey("pmj") || req.bool("pmj");
    Set<String> ids = new LinkedHashSet<>();
    if (id != null) {
      ids.add(id);
    } else if (req.query.containsKey("ids") && !req.query.get("ids").isBlank()) {
      for (String each : req.query.get("ids").split(",")) {
        if (!each.isBlank()) {
          control.process(each.strip());
          ids.add(each.strip());
        }
      }
    }
    LogStore.Query q = new LogStore.Query(ids, since, tail, withPmj);
    if (follow) {
      streams.lines(ex, q);
      return;
    }
    List<LogStore.Line> lines = control.logs(q);
    Responses.sendStreaming(ex, 200, g -> Codec.lines(g, lines));
  }
}
