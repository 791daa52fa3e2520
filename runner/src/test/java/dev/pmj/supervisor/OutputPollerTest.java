package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.os.Child;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The threads that read every pollable pipe: real pipes, written by the test. */
class OutputPollerTest {
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final OutputPoller poller = new OutputPoller((t, e) -> errors.add(e));
  private final EventStream events = new EventStream();
  private final Timers noTimers = (delay, task) -> () -> {};

  @AfterEach
  void close() {
    poller.close();
  }

  /** A pipe read by the poller, as a child's output is. */
  private record Piped(Pipe pipe, OutputReader reader) {
    void write(String text) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) pipe.sink().write(b);
    }
  }

  private Piped piped(String id, Consumer<ProcessEvent.OutputLines> tap) throws IOException {
    Pipe pipe = Pipe.open();
    Child child =
        new Child(
            0, Channels.newInputStream(pipe.source()), pipe.source(), new CompletableFuture<>());
    return new Piped(
        pipe,
        new OutputReader(
            id, child, OutputReader.pipes(poller), events, Clock.systemUTC(), noTimers, tap));
  }

  /** Waits for {@code done}, checking every millisecond, for at most 30 s. */
  private static void await(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  private List<String> lines(String id) {
    List<String> out = new ArrayList<>();
    for (LogStore.Line l : events.logs().lines(LogStore.Query.all())) {
      if (l.id().equals(id)) out.add(l.text());
    }
    return out;
  }

  @Test
  void everyPipeIsReadToItsEndInOrderAndThenClosed() throws Exception {
    List<Piped> pipes = new ArrayList<>();
    for (int i = 0; i < 10; i++) pipes.add(piped("p" + i, lines -> {}));
    // More than a pipe holds, from ten writers at once.
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < pipes.size(); i++) {
      Piped p = pipes.get(i);
      String id = "p" + i;
      Thread w =
          new Thread(
              () -> {
                try {
                  for (int n = 1; n <= 2000; n++)
                    p.write(id + " line " + n + " " + "x".repeat(60) + "\n");
                  p.pipe().sink().close();
                } catch (IOException e) {
                  errors.add(e);
                }
              });
      w.start();
      writers.add(w);
    }
    for (Thread w : writers) w.join(30_000);
    for (Piped p : pipes) p.reader().done().get(30, TimeUnit.SECONDS);
    for (int i = 0; i < pipes.size(); i++) {
      List<String> got = lines("p" + i);
      assertEquals(2000, got.size(), "p" + i);
      for (int n = 1; n <= 2000; n++) {
        assertEquals("p" + i + " line " + n + " " + "x".repeat(60), got.get(n - 1));
      }
      assertFalse(pipes.get(i).pipe().source().isOpen(), "read to its end, the pipe is closed");
    }
    assertEquals(List.of(), errors);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "an Error: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void aReaderThatFailsIsReportedAndEndedWhileTheOthersAreStillRead(boolean error)
      throws Exception {
    // An Error too, such as a readiness pattern overflowing the stack on a long line.
    Throwable failure =
        error ? new StackOverflowError("deep pattern") : new IllegalStateException("boom");
    Piped bad =
        piped(
            "bad",
            lines -> {
              if (failure instanceof Error e) throw e;
              throw (RuntimeException) failure;
            });
    Piped good = piped("good", lines -> {});
    bad.write("one\n");
    bad.reader().done().get(30, TimeUnit.SECONDS);
    assertEquals(List.of(failure), errors);
    assertFalse(bad.pipe().source().isOpen());
    good.write("still read\n");
    await(() -> !lines("good").isEmpty());
    assertEquals(List.of("still read"), lines("good"));
    assertTrue(good.pipe().source().isOpen());
  }

  @Test
  void closingThePollerClosesThePipesItStillReads() throws Exception {
    Piped open = piped("open", lines -> {});
    open.write("before\n");
    await(() -> !lines("open").isEmpty());
    assertEquals(List.of("before"), lines("open"));
    poller.close();
    await(() -> !open.pipe().source().isOpen());
    assertFalse(open.pipe().source().isOpen());
    open.pipe().sink().close();
  }
}
