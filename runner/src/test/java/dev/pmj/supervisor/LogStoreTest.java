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
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    int[] starts = new int[texts.length];
    int[] lengths = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      byte[] bytes = texts[i].getBytes(StandardCharsets.UTF_8);
      starts[i] = data.size();
      lengths[i] = bytes.length;
      data.write(bytes, 0, bytes.length);
      data.write('\n');
    }
    return new ProcessEvent.OutputLines(id, Instant.now(), data.toByteArray(), starts, lengths);
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
  void theLinesOfOneProcessComeWithPmjsLinesAboutItInSeqOrder() throws Exception {
    store.record(lines("a", "a1"));
    store.record(new ProcessEvent.Notice("a", "exited with code 1"));
    store.record(new ProcessEvent.Notice("b", "exited with code 2"));
    store.record(new ProcessEvent.Notice(null, "dashboard: http://x"));
    store.record(new ProcessEvent.RestartScheduled("a", java.time.Duration.ofSeconds(2), 2, 3));
    store.record(lines("a", "a2"));
    assertEquals(
        List.of(
            "a:a1", "pmj:a: exited with code 1", "pmj:a: restarting in 2s (retry 2 of 3)", "a:a2"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, true))));
    assertEquals(
        List.of("a:a1", "a:a2"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, false))),
        "without pmj's lines when asked");
    assertEquals(
        List.of("pmj:a: restarting in 2s (retry 2 of 3)", "a:a2"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, 2, true))),
        "tail counts them");
    assertEquals(
        List.of("pmj:b: exited with code 2"),
        texts(store.lines(new LogStore.Query(Set.of("b"), 0, -1, true))));
    assertEquals(
        6,
        store.lines(LogStore.Query.all()).size(),
        "the merged view is unchanged: every line, pmj's all of them");
    // A follower of one process gets them too, as they come.
    LinkedBlockingQueue<LogStore.Line> got = new LinkedBlockingQueue<>();
    try (LogStore.Follow f =
        store.follow(
            new LogStore.Query(Set.of("a"), store.lastSeq(), -1, true), got::addAll, 100)) {
      store.record(new ProcessEvent.Notice("b", "not this one"));
      store.record(new ProcessEvent.Notice("a", "failed: exited with code 1 after 3 retries"));
      store.record(lines("a", "a3"));
      List<String> seen = new ArrayList<>();
      while (seen.size() < 2) {
        LogStore.Line l = got.poll(20, TimeUnit.SECONDS);
        seen.add(l.id() + ":" + l.text());
      }
      assertEquals(List.of("pmj:a: failed: exited with code 1 after 3 retries", "a:a3"), seen);
    }
  }

  @Test
  void pmjsLinesKeepWhomTheyAreAboutAsTheirRingGrowsAndWraps() {
    store.capacity(LogStore.PMJ, 50);
    for (int i = 0; i < 120; i++)
      store.record(new ProcessEvent.Notice(i % 3 == 0 ? "a" : "b", "n" + i));
    List<String> a = texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, true)));
    List<String> expected = new ArrayList<>();
    for (int i = 70; i < 120; i++) if (i % 3 == 0) expected.add("pmj:a: n" + i);
    assertEquals(expected, a);
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

  @Test
  void keptBytesWrapAroundAndGrowWithoutLosingOrChangingALine() {
    java.util.Random random = new java.util.Random(7);
    for (int capacity : new int[] {1, 3, 50, 700}) {
      LogStore s = new LogStore();
      s.capacity("a", capacity);
      List<String> all = new ArrayList<>();
      for (int batch = 0; batch < 400; batch++) {
        String[] texts = new String[1 + random.nextInt(random.nextInt(10) == 0 ? 900 : 12)];
        for (int i = 0; i < texts.length; i++) {
          int length = random.nextInt(20) == 0 ? 2000 + random.nextInt(5000) : random.nextInt(90);
          texts[i] =
              (all.size() + i) + ":" + "é#".repeat(length / 2) + (length % 2 == 0 ? "" : "x");
          if (random.nextInt(15) == 0) texts[i] = "";
        }
        all.addAll(List.of(texts));
        s.record(lines("a", texts));
        List<String> kept = new ArrayList<>();
        for (LogStore.Line l : s.lines(new LogStore.Query(Set.of("a"), 0, -1, false)))
          kept.add(l.text());
        assertEquals(
            all.subList(Math.max(0, all.size() - capacity), all.size()),
            kept,
            "capacity " + capacity + " after batch " + batch);
      }
    }
  }

  @Test
  void linesOfABatchInAnyOrderAreKeptEachAsItWas() {
    byte[] data = "second\nfirst\n".getBytes(StandardCharsets.UTF_8);
    store.record(
        new ProcessEvent.OutputLines("a", Instant.now(), data, new int[] {7, 0}, new int[] {5, 6}));
    assertEquals(
        List.of("a:first", "a:second"),
        texts(store.lines(new LogStore.Query(Set.of("a"), 0, -1, false))));
  }

  @Test
  void aProcessKeepsAtMostMaxBytesOfItsNewestLinesWhateverItsLogBuffer() {
    store.capacity("a", 100_000);
    String line = "x".repeat(1 << 20);
    for (int i = 0; i < 12; i++) store.record(lines("a", i + line));
    List<LogStore.Line> kept = store.lines(new LogStore.Query(Set.of("a"), 0, -1, false));
    long bytes = 0;
    for (LogStore.Line l : kept) bytes += l.text().length();
    assertTrue(bytes <= LogStore.MAX_BYTES, bytes + " bytes kept");
    assertTrue(kept.size() >= 7, kept.size() + " lines kept");
    for (int k = 0; k < kept.size(); k++)
      assertEquals((12 - kept.size() + k) + line, kept.get(k).text());
    assertEquals(12, store.linesTotal("a"));
  }

  @Test
  void everyProcessGetsAnEqualShareOfTheTotalAndLosesOnlyItsOldestLinesWhenItShrinks() {
    String line = "y".repeat(1000);
    store.capacity("a", 100_000);
    for (int i = 0; i < 5000; i++) store.record(lines("a", i + ":" + line));
    long before = keptBytes("a");
    assertTrue(before > 4_000_000, before + " bytes kept while a is alone");
    // Twenty more processes: a keeps its share of the total, its newest lines.
    for (int p = 0; p < 20; p++) store.record(lines("p" + p, "x"));
    int share = LogStore.TOTAL_BYTES / 21; // a and the twenty
    List<LogStore.Line> kept = store.lines(new LogStore.Query(Set.of("a"), 0, -1, false));
    assertTrue(keptBytes("a") <= share, keptBytes("a") + " bytes kept, share " + share);
    assertTrue(keptBytes("a") > share - 2 * 1006, keptBytes("a") + " bytes kept, share " + share);
    assertEquals("4999:" + line, kept.get(kept.size() - 1).text());
    for (int k = 1; k < kept.size(); k++)
      assertEquals(kept.get(k - 1).seq() + 1, kept.get(k).seq(), "no gap among the kept lines");
    // New lines still go in, and a line longer than the share is kept cut to it.
    store.record(lines("a", "z".repeat(share + 10)));
    List<LogStore.Line> after = store.lines(new LogStore.Query(Set.of("a"), 0, -1, false));
    assertEquals("z".repeat(share), after.get(after.size() - 1).text());
    assertEquals(5001, store.linesTotal("a"));
  }

  @Test
  void aLineLongerThanAShrunkShareIsKeptCutNotDropped() {
    for (int p = 0; p < 16; p++) store.record(lines("p" + p, "x"));
    int share = LogStore.TOTAL_BYTES / 17;
    store.record(lines("big", "older", "b".repeat(share + 100)));
    assertEquals(List.of("b x " + share), shapes("big"));
    store.record(lines("p16", "x")); // one more process: every share shrinks
    int smaller = LogStore.TOTAL_BYTES / 18;
    assertEquals(List.of("b x " + smaller), shapes("big"), "cut to the new share, not dropped");
    store.record(lines("big", "next"));
    assertEquals(List.of("n x 4"), shapes("big"), "a new line pushes the oldest out");
  }

  /** Each kept line of {@code id} as its first character and length (lines here are long). */
  private List<String> shapes(String id) {
    return store.lines(new LogStore.Query(Set.of(id), 0, -1, false)).stream()
        .map(l -> l.text().charAt(0) + " x " + l.text().length())
        .toList();
  }

  private long keptBytes(String id) {
    long bytes = 0;
    for (LogStore.Line l : store.lines(new LogStore.Query(Set.of(id), 0, -1, false)))
      bytes += l.text().length();
    return bytes;
  }
}
