package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.supervisor.Supervisor;
import dev.pmj.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of a run of pmj up close in the reverse order of their opening, once. */
class SessionTest {
  @TempDir Path dir;

  private final List<String> closed = new CopyOnWriteArrayList<>();

  private Session session() throws Exception {
    Path file = Fixtures.writeConfig(dir, "version: 1\nprocesses:\n  a:\n    command: 'true'\n");
    LoadResult loaded = new ConfigLoader(Map.of(), dir, false).load(file);
    assertTrue(loaded.ok(), loaded.problems().toString());
    return new Session(loaded.project(), List.of("a"), new Supervisor.Options(Map.of(), false));
  }

  private AutoCloseable part(String name) {
    return () -> closed.add(name);
  }

  @Test
  void partsCloseLastOpenedFirstAndOnlyOnce() throws Exception {
    Session session = session();
    session.own(part("watches"));
    session.own(part("console"));
    session.own(part("writer"));
    session.close();
    assertEquals(List.of("writer", "console", "watches"), closed);
    session.close();
    assertEquals(List.of("writer", "console", "watches"), closed);
  }

  @Test
  void aPartOpenedAfterTheCloseIsClosedAtOnce() throws Exception {
    Session session = session();
    session.close();
    AutoCloseable late = part("late");
    assertSame(late, session.own(late));
    assertEquals(List.of("late"), closed);
  }

  @Test
  void everyPartClosesThoughOneFailsAndTheFirstFailureIsThrown() throws Exception {
    Session session = session();
    session.own(part("first"));
    session.own(
        () -> {
          throw new IllegalStateException("cannot close b");
        });
    session.own(part("last"));
    IllegalStateException thrown = assertThrows(IllegalStateException.class, session::close);
    assertEquals("cannot close b", thrown.getMessage());
    assertEquals(List.of("last", "first"), closed);
  }

  /** A shutdown hook that closes while the normal path is closing returns once it is done. */
  @Test
  void aSecondCloseWaitsUntilTheFirstHasClosedEverything() throws Exception {
    Session session = session();
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    session.own(part("first"));
    session.own(
        () -> {
          closing.countDown();
          release.await(20, TimeUnit.SECONDS);
          closed.add("slow");
        });
    CompletableFuture<Void> normal = CompletableFuture.runAsync(session::close);
    assertTrue(closing.await(20, TimeUnit.SECONDS));
    CompletableFuture<Void> hook = CompletableFuture.runAsync(session::close);
    // The hook cannot end while "first" is still open.
    assertFalse(hook.isDone());
    release.countDown();
    hook.get(20, TimeUnit.SECONDS);
    assertEquals(List.of("slow", "first"), closed);
    normal.get(20, TimeUnit.SECONDS);
  }

  @Test
  void theControlIsMadeOnce() throws Exception {
    try (Session session = session()) {
      session.control(
          new ConfigLoader(Map.of(), dir, false), id -> false, "test", by -> {}, id -> "cyan");
      assertThrows(
          IllegalStateException.class,
          () ->
              session.control(
                  new ConfigLoader(Map.of(), dir, false),
                  id -> false,
                  "test",
                  by -> {},
                  id -> "cyan"));
    }
  }
}
