package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  private static ProcessEvent.Notice notice(int i) {
    return new ProcessEvent.Notice("p", "n" + i);
  }

  @Test
  void aNewSubscriberGetsTheSnapshotFirstThenEveryEventInOrder() {
    EventStream stream = new EventStream();
    ProcessStatus status =
        new ProcessStatus("p", ProcessState.RUNNING, 42, 0, null, false, Instant.EPOCH, "");
    stream.snapshotSource(() -> new ProcessEvent.Snapshot(List.of(status)));
    List<ProcessEvent> seen = new ArrayList<>();
    EventStream.Subscription s =
        stream.subscribe(
            "t",
            e -> {
              synchronized (seen) {
                seen.add(e);
              }
            },
            EventStream.Delivery.LOSSLESS,
            8);
    for (int i = 0; i < 1000; i++) stream.publish(notice(i));
    assertTrue(s.closeAndDrain(10_000));
    assertEquals(1001, seen.size());
    assertEquals(
        List.of(status), assertInstanceOf(ProcessEvent.Snapshot.class, seen.get(0)).processes());
    for (int i = 0; i < 1000; i++) assertEquals(notice(i), seen.get(i + 1));
  }

  @Test
  void outputASubscriberDoesNotWantIsNeverQueuedForItButStateStillIs() {
    EventStream stream = new EventStream();
    List<ProcessEvent> seen = new ArrayList<>();
    EventStream.Subscriber onlyB =
        new EventStream.Subscriber() {
          @Override
          public void onEvent(ProcessEvent e) {
            synchronized (seen) {
              seen.add(e);
            }
          }

          @Override
          public boolean wantsOutputOf(String processId) {
            return processId.equals("b");
          }
        };
    EventStream.Subscription s = stream.subscribe("t", onlyB, EventStream.Delivery.LOSSLESS, 8);
    byte[] line = "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (String id : List.of("a", "b", "a", "b")) {
      stream.publish(
          new ProcessEvent.OutputLines(id, Instant.EPOCH, line, new int[] {0}, new int[] {1}));
    }
    stream.publish(new ProcessEvent.Notice("a", "still told"));
    assertTrue(s.closeAndDrain(10_000));
    List<String> got = new ArrayList<>();
    for (ProcessEvent e : seen) {
      if (e instanceof ProcessEvent.OutputLines o) got.add("out " + o.id());
      if (e instanceof ProcessEvent.Notice n) got.add("notice " + n.id());
    }
    assertEquals(List.of("out b", "out b", "notice a"), got);
    // What no subscriber takes is still kept for pmj logs.
    assertEquals(
        4,
        stream.logs().lines(LogStore.Query.all()).stream()
            .filter(l -> l.text().equals("x"))
            .count());
  }

  @Test
  void aLosslessSubscriberMakesThePublisherWaitInsteadOfLosingEvents() throws Exception {
    EventStream stream = new EventStream();
    CountDownLatch release = new CountDownLatch(1);
    List<ProcessEvent> seen = new ArrayList<>();
    EventStream.Subscription s =
        stream.subscribe(
            "slow",
            e -> {
              try {
                release.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
              synchronized (seen) {
                seen.add(e);
              }
            },
            EventStream.Delivery.LOSSLESS,
            2);
    CountDownLatch published = new CountDownLatch(1);
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < 10; i++) stream.publish(notice(i));
              published.countDown();
            });
    publisher.start();
    assertEquals(
        false, published.await(300, TimeUnit.MILLISECONDS), "publisher should be held back");
    release.countDown();
    assertTrue(published.await(10, TimeUnit.SECONDS));
    assertTrue(s.closeAndDrain(10_000));
    assertEquals(11, seen.size());
  }

  @Test
  void aSlowRemoteSubscriberIsDroppedAndNeverDelaysThePublisher() throws Exception {
    EventStream stream = new EventStream();
    CountDownLatch release = new CountDownLatch(1);
    EventStream.Subscription s =
        stream.subscribe(
            "remote",
            e -> {
              try {
                release.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            },
            EventStream.Delivery.DROP_WHEN_SLOW,
            4);
    for (int i = 0; i < 100; i++) stream.publish(notice(i));
    assertTrue(s.dropped());
    release.countDown();
    assertTrue(s.closeAndDrain(10_000));
  }

  @Test
  void aSubscriberPublishingFromItsOwnThreadWhileItsQueueIsFullGoesOn() throws Exception {
    EventStream stream = new EventStream();
    int capacity = 4;
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch publishedFromInside = new CountDownLatch(1);
    List<ProcessEvent> seen = new ArrayList<>();
    EventStream.Subscription s =
        stream.subscribe(
            "files",
            e -> {
              synchronized (seen) {
                seen.add(e);
              }
              if (e.equals(notice(0))) {
                inFirst.countDown();
                try {
                  release.await();
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
                // What a log file does when it cannot write: a notice, from its own thread.
                stream.publish(new ProcessEvent.Notice("p", "cannot write"));
                publishedFromInside.countDown();
              }
            },
            EventStream.Delivery.LOSSLESS,
            capacity);
    stream.publish(notice(0));
    assertTrue(inFirst.await(10, TimeUnit.SECONDS));
    // The snapshot and notice 0 are delivered; these fill the queue to its capacity exactly.
    for (int i = 1; i <= capacity; i++) stream.publish(notice(i));
    // Another producer (a process's output) now waits for room, as backpressure wants.
    CountDownLatch otherDone = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              stream.publish(notice(capacity + 1));
              otherDone.countDown();
            },
            "test-producer");
    other.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (other.getState() != Thread.State.WAITING && System.nanoTime() < deadline)
      Thread.onSpinWait();
    assertEquals(Thread.State.WAITING, other.getState(), "the producer waits for room");
    assertEquals(1, otherDone.getCount());
    release.countDown();
    assertTrue(
        publishedFromInside.await(10, TimeUnit.SECONDS),
        "a subscriber publishing from its own thread into its full queue must not wait");
    assertTrue(otherDone.await(10, TimeUnit.SECONDS));
    // Nothing lost, everything in publishing order.
    assertTrue(s.closeAndDrain(10_000));
    List<ProcessEvent> expected = new ArrayList<>();
    for (int i = 0; i <= capacity + 1; i++) expected.add(notice(i));
    expected.add(new ProcessEvent.Notice("p", "cannot write"));
    synchronized (seen) {
      assertEquals(expected, seen.subList(1, seen.size()));
    }
    // The stream's own order (the log store's seq) is the same.
    List<String> kept = new ArrayList<>();
    for (LogStore.Line l : stream.logs().lines(LogStore.Query.all())) kept.add(l.text());
    assertEquals(capacity + 3, kept.size(), kept.toString());
    assertTrue(kept.get(kept.size() - 1).contains("cannot write"), kept.toString());
  }
}
