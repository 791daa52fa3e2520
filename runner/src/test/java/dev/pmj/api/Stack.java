package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.cli.Session;
import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LocalControl;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.Supervisor;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A project running in this JVM: real processes under a supervisor, its {@link LocalControl}, and
 * (when asked) the HTTP API serving it. {@link #close()} stops everything and checks that no
 * process is left.
 */
final class Stack implements AutoCloseable {
  final String tag = "pmj-test-" + UUID.randomUUID();
  final Project project;
  final EventStream events;
  final ProcessControl os;
  final Supervisor supervisor;
  final LocalControl local;
  final CompletableFuture<String> shutdownAskedBy = new CompletableFuture<>();
  final LinkedBlockingQueue<ProcessEvent> seen = new LinkedBlockingQueue<>();
  private final Object changed = new Object();
  ApiServer api;

  /** Built and closed as pmj up builds and closes its parts; the API is the test's own. */
  private final Session session;

  Stack(Path dir, String yaml) throws Exception {
    Path f = Fixtures.writeConfig(dir, yaml);
    ConfigLoader loader = new ConfigLoader(env(), dir, false);
    LoadResult r = loader.load(f);
    assertEquals(List.of(), r.problems());
    project = r.project();
    List<String> ids = new ArrayList<>();
    List<String> autostart = new ArrayList<>();
    for (ProcessSpec p : project.processes()) {
      ids.add(p.id());
      if (p.autostart()) autostart.add(p.id());
    }
    session =
        new Session(
            project,
            ids,
            new Supervisor.Options(
                env(), false, dev.pmj.os.ProcessTable.create(), Duration.ofMillis(300)));
    events = session.events;
    os = session.os;
    supervisor = session.supervisor;
    dev.pmj.output.LineFormat format =
        new dev.pmj.output.LineFormat(
            project.processes(), new dev.pmj.output.LineFormat.Style(false, false, true));
    local =
        session.control(
            loader, id -> false, "test", shutdownAskedBy::complete, id -> format.color(id).word());
    events.subscribe("test", seen::add, EventStream.Delivery.LOSSLESS, 100_000);
    events.subscribe(
        "test-wake",
        e -> {
          synchronized (changed) {
            changed.notifyAll();
          }
        },
        EventStream.Delivery.LOSSLESS,
        100_000);
    supervisor.up(autostart);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    return env;
  }

  /** Serves the API on a free port. */
  Stack serve() throws Exception {
    api = ApiServer.start(local, 0);
    local.dashboard(api::dashboard);
    return this;
  }

  /** A client of the API, as the CLI makes one. */
  HttpControl client() {
    return new HttpControl("http://127.0.0.1:" + api.port(), api.token(), "test");
  }

  String base() {
    return "http://127.0.0.1:" + api.port();
  }

  /**
   * Waits until {@code test} holds, checking it again after each event (or 50 ms); fails after 20 s
   * with the last value seen.
   */
  <T> T until(java.util.function.Supplier<T> value, java.util.function.Predicate<T> test)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    T v = value.get();
    while (!test.test(v)) {
      if (System.nanoTime() > deadline) throw new AssertionError("never came true; last: " + v);
      synchronized (changed) {
        changed.wait(50);
      }
      v = value.get();
    }
    return v;
  }

  /** Waits for an event that matches; fails after 20 s with what was seen. */
  <T extends ProcessEvent> T await(Class<T> type, java.util.function.Predicate<T> test)
      throws InterruptedException {
    List<ProcessEvent> other = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
      if (e == null) continue;
      if (type.isInstance(e) && test.test(type.cast(e))) return type.cast(e);
      if (other.size() < 200) other.add(e);
    }
    throw new AssertionError("no matching " + type.getSimpleName() + "; saw " + other);
  }

  /** Waits until {@code id} is in {@code state}. */
  void awaitState(String id, dev.pmj.supervisor.ProcessState state) throws InterruptedException {
    if (supervisor.status(id) != null && supervisor.status(id).state() == state) return;
    await(ProcessEvent.StateChanged.class, c -> c.id().equals(id) && c.to() == state);
  }

  @Override
  public void close() throws Exception {
    try {
      if (api != null) api.close();
      supervisor.shutdown().get(30, TimeUnit.SECONDS);
    } finally {
      session.close();
      Leftovers.assertNoneLeft(tag);
    }
  }
}
