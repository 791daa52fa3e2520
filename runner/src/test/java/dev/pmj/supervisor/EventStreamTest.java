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
}
