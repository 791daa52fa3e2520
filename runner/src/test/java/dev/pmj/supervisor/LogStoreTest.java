package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The recent lines of every process: order, limits, queries and followers, without processes. */
class LogStoreTest {
  private final LogStore store = new LogStore();

  private static ProcessEvent.OutputLines lines(String id, String... texts) {
    StringBuilder sb = new StringBuilder();
    int[] starts = new int[texts.length];
    int[] lengths = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      starts[i] = sb.length();
      lengths[i] = texts[i].length();
      sb.append(texts[i]).append('\n');
    }
    return new ProcessEvent.OutputLines(
        id, Instant.now(), sb.toString().getBytes(StandardCharsets.UTF_8), starts, lengths);
  }

  private static List<String> texts(List<LogStore.Line> lines) {
    List<String> out = new ArrayList<>();
    for (LogStore.Line l : lines) out.add(l.id() + ":" + l.text());
    return out;
  }

  @Test
  void linesOfEveryProcessAndOfPmjShareOneSeqInTheOrderTheyWereRecorded() {
    store.record(lines("a", "a1", "a2"));
    store.record(new ProcessEvent.Notice("b", "something happened"));
    store.record(lines("b", "b1"));
    store.record(lines("a", "a3"));
    List<LogStore.Line> all = store.lines(LogStore.Query.all());
    assertEquals(List.of("a:a1", "a:a2", "pmj:b: something happened", "b:b1", "a:a3"), texts(all));
    for (int i = 0; i < all.size(); i++) assertEquals(i + 1, all.get(i).seq());
    assertEquals(
        List.of("a:a1", "a:a2", "b:b1", "a:a3"),
        texts(store.lines(new LogStore.Query(Set.of(), 0, -1, false))));
    assertEquals(
        List.of("a:a1", "a:a2", "a:a3"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, false))));
    assertEquals(3, store.linesTotal("a"));
    assertEquals(5, store.lastSeq());
  }

  @Test
  void eachProcessKeepsItsLastLinesAndTailAndSinceSelectAmongThem() {
    store.capacity("a", 3);
    for (int i = 1; i <= 10; i++) store.record(lines("a", "a" + i));
    store.record(lines("b", "b1"));
    assertEquals(
        List.of("a:a8", "a:a9", "a:a10"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, false))));
    assertEquals(
        List.of("a:a10", "b:b1"), texts(store.lines(new LogStore.Query(Set.of(), 0, 2, true))));
    assertEquals(
        List.of("a:a10", "b:b1"), texts(store.lines(new LogStore.Query(Set.of(), 9, -1, true))));
    assertEquals(
        List.of("a:a10"), texts(store.lines(new LogStore.Query(Set.of("a"), 9, 5, false))));
    assertEquals(10, store.linesTotal("a"), "counted even when no longer kept");
    store.capacity("a", 0);
    store.record(lines("a", "a11"));
    assertEquals(List.of(), store.lines(new LogStore.Query(Set.of("a"), 0, -1, false)));
  }

  @Test
  void aFollowerGetsTheKeptLinesThenNewOnesInOrder() throws Exception {
    store.record(lines("a", "a1", "a2"));
    LinkedBlockingQueue<LogStore.Line> got = new LinkedBlockingQueue<>();
    try (LogStore.Follow f =
        store.follow(new LogStore.Query(Set.of("a"), 1, -1, false), got::addAll, 100)) {
      store.record(lines("b", "b1"));
      store.record(lines("a", "a3", "a4"));
      List<String> seen = new ArrayList<>();
      while (seen.size() < 3) seen.add(got.poll(20, TimeUnit.SECONDS).text());
      assertEquals(List.of("a2", "a3", "a4"), seen);
    }
  }

  @Test
  void aFollowerThatFallsBehindIsDroppedAndToldWithoutSlowingTheStore() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    boolean[] dropped = {false};
    store.follow(
        LogStore.Query.all(),
        new LogStore.Follower() {
          @Override
          public void lines(List<LogStore.Line> lines) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void ended(boolean d) {
            dropped[0] = d;
            ended.countDown();
          }
        },
        10);
    for (int i = 0; i < 1000; i++) store.record(lines("a", "a" + i));
    release.countDown();
    assertTrue(ended.await(20, TimeUnit.SECONDS));
    assertTrue(dropped[0]);
    assertEquals(1000, store.linesTotal("a"));
  }
}
