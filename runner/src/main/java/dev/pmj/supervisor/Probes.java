package dev.pmj.supervisor;

import dev.pmj.config.Readiness;
import dev.pmj.os.Child;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.Signal;
import dev.pmj.os.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one readiness probe (http, tcp, exec) off the process's mailbox. LogLine is a tap, not a
 * probe.
 */
final class Probes implements ReadinessCheck {
  private final ProcessControl control;
  private final ExecutorService executor;

  Probes(ProcessControl control, ExecutorService executor) {
    this.control = control;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Boolean> check(Readiness r, Path cwd, Map<String, String> env) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            if (r instanceof Readiness.Http h) return http(h);
            if (r instanceof Readiness.Tcp t) return tcp(t);
            if (r instanceof Readiness.Exec e) return exec(e, cwd, env);
            return false;
          } catch (IOException | RuntimeException e) {
            return false;
          }
        },
        executor);
  }

  private static boolean http(Readiness.Http h) throws IOException {
    HttpURLConnection c = (HttpURLConnection) h.url().toURL().openConnection();
    int timeout = (int) Math.max(1, h.timeout().toMillis());
    c.setConnectTimeout(timeout);
    c.setReadTimeout(timeout);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    try {
      int code = c.getResponseCode();
      return code >= 200 && code < 400;
    } finally {
      c.disconnect();
    }
  }

  private static boolean tcp(Readiness.Tcp t) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(t.host(), t.port()), (int) Math.max(1, t.timeout().toMillis()));
      return true;
    }
  }

  private boolean exec(Readiness.Exec e, Path cwd, Map<String, String> env) {
    Child child;
    try {
      child = control.start(e.command(), cwd, env);
    } catch (StartException ex) {
      return false;
    }
    try (InputStream out = child.output()) {
      // Drain so a chatty probe never blocks on a full pipe.
      executor.execute(
          () -> {
            try {
              out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
              // closed
            }
          });
      int code = child.exit().get(e.timeout().toMillis(), TimeUnit.MILLISECONDS);
      return code == 0;
    } catch (TimeoutException ex) {
      return false;
    } catch (Exception ex) {
      return false;
    } finally {
      control.signalGroup(child.pid(), Signal.KILL);
      control.forget(child.pid());
    }
  }
}
