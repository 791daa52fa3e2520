package dev.pmj.supervisor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recent output of every process (README, "From a second terminal"): a ring of the last {@code
 * logBuffer} lines per process, and of pmj's own lines under the id {@code pmj}, each with a {@code
 * seq} from one counter over all of them and the time it was read. {@code seq} follows the order in
 * which the event stream published the lines, so clients that resume after {@code seq} see no gap
 * and no repeat. Lines keep the bytes the process wrote; batches are shared, not copied. Each of
 * pmj's lines also keeps the id of the process it is about, so that the lines of one process come
 * with pmj's lines about it (its exits, restarts, why it failed).
 */
public final class LogStore {
  /** The id under which pmj's own lines are kept. */
  public static final String PMJ = "pmj";

  public static final int DEFAULT_CAPACITY = 5000;

  /** The most bytes kept for one process, however many lines {@code logBuffer} allows. */
  static final int MAX_BYTES = 8 << 20;

  /**
   * The most bytes kept over all processes: each gets an equal share of it, up to {@link
   * #MAX_BYTES}. pmj's heap is 128 MB, and listing every kept line (pmj logs, a follow's backlog)
   * holds them about three times over while it answers: as strings, and as the answer.
   */
  static final int TOTAL_BYTES = 24 << 20;

  /** The least share of {@link #TOTAL_BYTES} a process gets, however many there are. */
  static final int MIN_BYTES = 256 << 10;

  /** One line and its place in the stream. */
  public record Line(long seq, String id, Instant at, String text) {}

  /**
   * Which lines: those of {@code ids} (empty: every process), with pmj's own lines when {@code
   * withPmj} (with {@code ids}: those about them), after {@code since} (a seq; 0 for all kept), the
   * last {@code tail} of them (-1: all).
   */
  public record Query(Set<String> ids, long since, int tail, boolean withPmj) {
    public Query {
      ids = Set.copyOf(ids);
    }

    public static Query all() {
      return new Query(Set.of(), 0, -1, true);
    }

    boolean matches(String id) {
      return ids.isEmpty() ? withPmj || !PMJ.equals(id) : ids.contains(id);
    }

    /** Whether it takes pmj's lines about some of its processes (not all of pmj's lines). */
    boolean takesPmjLinesAbout() {
      return withPmj && !ids.isEmpty() && !ids.contains(PMJ);
    }

    /** Whether it takes pmj's lines about {@code about} (null: about pmj itself). */
    boolean isAbout(String about) {
      return about != null && takesPmjLinesAbout() && ids.contains(about);
    }

    /** Whether it takes a line of {@code id} that is about {@code about}. */
    boolean matches(String id, String about) {
      return matches(id) || PMJ.equals(id) && isAbout(about);
    }
  }

  /** Receives followed lines on the follow's own thread. */
  public interface Follower {
    void lines(List<Line> lines);

    /** The queue ran empty: a moment to flush. */
    default void idle() {}

    /** The follow ended: closed, or dropped because the follower could not keep up. */
    default void ended(boolean dropped) {}
  }

  private final Map<String, Ring> rings = new HashMap<>();
  private final Map<String, Integer> capacities = new HashMap<>();
  private final Map<String, Long> totals = new HashMap<>();
  private final List<Follow> follows = new CopyOnWriteArrayList<>();
  private long lastSeq;
  private int followNumber;

  /** Sets how many lines of {@code id} are kept (its {@code logBuffer}). */
  public synchronized void capacity(String id, int lines) {
    capacities.put(id, lines);
    Ring r = rings.get(id);
    if (r != null) r.limit(lines);
  }

  /** Forgets the lines of a process that was removed. */
  public synchronized void forget(String id) {
    if (rings.remove(id) != null) share();
    capacities.remove(id);
  }

  /** Records what an event adds to the logs; called by the event stream, in its order. */
  void record(ProcessEvent event) {
    synchronized (this) {
      if (event instanceof ProcessEvent.OutputLines o) {
        Ring r = ring(o.id());
        long at = o.at().toEpochMilli();
        long first = lastSeq + 1;
        r.add(first, at, o.data(), o.starts(), o.lengths(), o.count());
        lastSeq += o.count();
        totals.merge(o.id(), (long) o.count(), Long::sum);
        if (follows.isEmpty()) return;
        List<Line> added = new ArrayList<>(o.count());
        for (int i = 0; i < o.count(); i++)
          added.add(new Line(first + i, o.id(), o.at(), o.line(i)));
        for (Follow f : follows) {
          List<Line> mine = f.query.ids.isEmpty() ? added : filter(added, f.query);
          if (!mine.isEmpty() && !f.offer(mine)) follows.remove(f);
        }
      } else {
        String text = Messages.describe(event);
        if (text == null) return;
        String about = Messages.about(event);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        ring(PMJ).add(++lastSeq, now.toEpochMilli(), bytes, 0, bytes.length, about);
        if (follows.isEmpty()) return;
        List<Line> line = List.of(new Line(lastSeq, PMJ, now, text));
        for (Follow f : follows) {
          if (f.query.matches(PMJ, about) && !f.offer(line)) follows.remove(f);
        }
      }
    }
  }

  private static List<Line> filter(List<Line> lines, Query q) {
    List<Line> out = new ArrayList<>();
    for (Line l : lines) if (q.matches(l.id())) out.add(l);
    return out;
  }

  private Ring ring(String id) {
    Ring r = rings.get(id);
    if (r == null) {
      r = new Ring(capacities.getOrDefault(id, DEFAULT_CAPACITY));
      rings.put(id, r);
      share();
    }
    return r;
  }

  /** Gives every process its share of {@link #TOTAL_BYTES}. */
  private void share() {
    int each = Math.max(MIN_BYTES, Math.min(MAX_BYTES, TOTAL_BYTES / Math.max(1, rings.size())));
    for (Ring r : rings.values()) r.maxBytes(each);
  }

  /** The lines a query asks for, oldest first. */
  public synchronized List<Line> lines(Query q) {
    List<Ring> sources = new ArrayList<>();
    List<String> names = new ArrayList<>();
    // pmj's ring, when only its lines about the query's processes are taken; else -1.
    int about = -1;
    for (Map.Entry<String, Ring> e : rings.entrySet()) {
      boolean aboutThem = PMJ.equals(e.getKey()) && q.takesPmjLinesAbout();
      if (q.matches(e.getKey()) || aboutThem) {
        if (aboutThem) about = sources.size();
        sources.add(e.getValue());
        names.add(e.getKey());
      }
    }
    // Merge by seq: every ring is in seq order already.
    int[] pos = new int[sources.size()];
    for (int i = 0; i < pos.length; i++) pos[i] = sources.get(i).firstAfter(q.since());
    List<Line> out = new ArrayList<>();
    while (true) {
      int best = -1;
      long bestSeq = Long.MAX_VALUE;
      if (about >= 0) {
        Ring r = sources.get(about);
        while (pos[about] < r.size && !q.isAbout(r.aboutAt(pos[about]))) pos[about]++;
      }
      for (int i = 0; i < pos.length; i++) {
        Ring r = sources.get(i);
        if (pos[i] < r.size && r.seqAt(pos[i]) < bestSeq) {
          best = i;
          bestSeq = r.seqAt(pos[i]);
        }
      }
      if (best < 0) break;
      out.add(sources.get(best).line(pos[best]++, names.get(best)));
    }
    if (q.tail() >= 0 && out.size() > q.tail())
      return new ArrayList<>(out.subList(out.size() - q.tail(), out.size()));
    return out;
  }

  /**
   * Follows the lines a query asks for: first those already kept, then every new one, on a thread
   * of its own. A follower that falls {@code maxBehind} lines behind is dropped (and told); it may
   * follow again after the last seq it saw.
   */
  public Follow follow(Query q, Follower follower, int maxBehind) {
    synchronized (this) {
      Follow f = new Follow(q, follower, maxBehind, ++followNumber);
      List<Line> backlog = lines(q);
      follows.add(f);
      f.behind.addAndGet(backlog.size());
      f.feed.start(backlog.isEmpty() ? null : backlog);
      return f;
    }
  }

  /** Lines read from {@code id} since pmj started. */
  public synchronized long linesTotal(String id) {
    return totals.getOrDefault(id, 0L);
  }

  /** The seq of the newest line. */
  public synchronized long lastSeq() {
    return lastSeq;
  }

  /** One follower's queue and thread. */
  public final class Follow implements AutoCloseable {
    private final Query query;
    private final Feed<List<Line>> feed;
    private final int maxBehind;

    /** Lines offered and not delivered yet: how far behind the follower is. */
    private final java.util.concurrent.atomic.AtomicInteger behind =
        new java.util.concurrent.atomic.AtomicInteger();

    private Follow(Query query, Follower follower, int maxBehind, int number) {
      this.query = query;
      // It always gets the kept lines of what it follows, however many they are.
      this.maxBehind = maxBehind;
      this.feed =
          new Feed<>(
              "follow-" + number,
              new Feed.Sink<>() {
                @Override
                public void accept(List<Line> item) {
                  behind.addAndGet(-item.size());
                  follower.lines(item);
                }

                @Override
                public void idle() {
                  follower.idle();
                }

                @Override
                public void ended(boolean dropped) {
                  follower.ended(dropped);
                }
              },
              false,
              65536);
    }

    /** Queues lines; false (and the follower is dropped) when it is too far behind. */
    private boolean offer(List<Line> lines) {
      if (behind.addAndGet(lines.size()) > maxBehind) {
        feed.drop();
        return false;
      }
      return feed.offer(lines) != Feed.Offered.REFUSED;
    }

    /** Stops following; lines already queued are not delivered. Does not wait. */
    @Override
    public void close() {
      follows.remove(this);
      feed.cancel();
    }
  }

  /**
   * The kept lines of one process. Their bytes are copied into a store of its own (a circular
   * buffer that grows to what {@code limit} lines need, up to its share of the bytes) instead of
   * keeping the batches they came in: a batch then dies young, and a chatty process does not make
   * every young collection copy the last thousands of its lines.
   */
  private static final class Ring {
    private long[] seqs = new long[16];
    private long[] ats = new long[16];

    /**
     * Where each line starts, counted in bytes ever stored (its index is that modulo the store).
     */
    private long[] positions = new long[16];

    private int[] lengths = new int[16];

    /** The process each line is about (pmj's lines only: allocated by the first that has one). */
    private String[] abouts;

    private int head;
    private int size;
    private int limit;
    private byte[] store = new byte[0];

    /** Bytes ever stored: where the next line goes. */
    private long end;

    private int maxBytes = MAX_BYTES;

    Ring(int limit) {
      this.limit = limit;
    }

    void limit(int lines) {
      while (size > lines) drop();
      limit = lines;
    }

    /** At most {@code bytes} kept: the oldest lines go, and a larger store is made smaller. */
    void maxBytes(int bytes) {
      maxBytes = bytes;
      while (end - oldest() > bytes && size > 1) drop();
      if (end - oldest() > bytes) {
        // One line longer than the new share: it is kept cut to it, as a new one would be.
        lengths[head] = bytes;
        end = positions[head] + bytes;
      }
      if (store.length > bytes) resize(bytes);
    }

    /** Keeps lines {@code first..} of a batch (their seqs follow {@code firstSeq}). */
    void add(long firstSeq, long at, byte[] data, int[] starts, int[] lengths, int count) {
      if (limit == 0 || count == 0) return;
      int from = Math.max(0, count - limit);
      int begin = starts[from];
      boolean ascending = true;
      for (int i = from + 1; i < count && ascending; i++)
        ascending = starts[i] >= starts[i - 1] + lengths[i - 1];
      int stop = starts[count - 1] + lengths[count - 1];
      if (!ascending || stop - begin > maxBytes) {
        for (int i = from; i < count; i++) add(firstSeq + i, at, data, starts[i], lengths[i]);
        return;
      }
      // The lines of a batch lie one after the other: one copy for all of them.
      while (size + count - from > limit) drop();
      long base = room(stop - begin);
      copyIn(data, begin, stop - begin, base);
      for (int i = from; i < count; i++)
        append(firstSeq + i, at, base + starts[i] - begin, lengths[i]);
      end = base + stop - begin;
    }

    void add(long seq, long at, byte[] bytes, int start, int length) {
      add(seq, at, bytes, start, length, null);
    }

    void add(long seq, long at, byte[] bytes, int start, int length, String about) {
      if (limit == 0) return;
      // A line longer than the whole share is kept cut to it (the terminal and files get it all).
      if (length > maxBytes) {
        length = maxBytes;
      }
      if (size == limit) drop();
      long base = room(length);
      copyIn(bytes, start, length, base);
      append(seq, at, base, length);
      if (about != null && abouts == null) abouts = new String[seqs.length];
      if (abouts != null) abouts[(head + size - 1) % seqs.length] = about;
      end = base + length;
    }

    /** Makes room for {@code length} more bytes, growing the store or forgetting old lines. */
    private long room(int length) {
      while (store.length - (end - oldest()) < length) {
        if (store.length < maxBytes) grow(length);
        else drop();
      }
      return end;
    }

    private long oldest() {
      return size == 0 ? end : positions[head];
    }

    private void grow(int length) {
      long used = end - oldest();
      int n = Math.max(1024, store.length);
      while (n < maxBytes && n - used < length) n *= 2;
      resize(Math.min(n, maxBytes));
    }

    /** A store of {@code n} bytes holding the kept bytes at their same positions. */
    private void resize(int n) {
      long from = oldest();
      byte[] kept = new byte[(int) (end - from)];
      copyOut(store, from, kept, 0, kept.length);
      store = new byte[n];
      copyIn(kept, 0, kept.length, from);
    }

    private void copyIn(byte[] src, int off, int len, long pos) {
      if (len == 0) return;
      int at = (int) (pos % store.length);
      int first = Math.min(len, store.length - at);
      System.arraycopy(src, off, store, at, first);
      if (first < len) System.arraycopy(src, off + first, store, 0, len - first);
    }

    private static void copyOut(byte[] from, long pos, byte[] dst, int off, int len) {
      if (len == 0) return;
      int at = (int) (pos % from.length);
      int first = Math.min(len, from.length - at);
      System.arraycopy(from, at, dst, off, first);
      if (first < len) System.arraycopy(from, 0, dst, off + first, len - first);
    }

    private void append(long seq, long at, long position, int length) {
      if (size == seqs.length) growLines();
      // No %: an integer division per line is a good part of pmj's cost at millions of lines.
      int i = head + size;
      if (i >= seqs.length) i -= seqs.length;
      seqs[i] = seq;
      ats[i] = at;
      positions[i] = position;
      lengths[i] = length;
      size++;
    }

    private void drop() {
      if (++head == seqs.length) head = 0;
      size--;
    }

    private void growLines() {
      int n = Math.min(Math.max(16, seqs.length * 2), Math.max(limit, 16));
      long[] s = new long[n];
      long[] a = new long[n];
      long[] p = new long[n];
      int[] le = new int[n];
      String[] ab = abouts == null ? null : new String[n];
      for (int k = 0; k < size; k++) {
        int i = (head + k) % seqs.length;
        s[k] = seqs[i];
        a[k] = ats[i];
        p[k] = positions[i];
        le[k] = lengths[i];
        if (ab != null) ab[k] = abouts[i];
      }
      abouts = ab;
      seqs = s;
      ats = a;
      positions = p;
      lengths = le;
      head = 0;
    }

    long seqAt(int k) {
      return seqs[(head + k) % seqs.length];
    }

    /** The process line {@code k} is about, or null. */
    String aboutAt(int k) {
      return abouts == null ? null : abouts[(head + k) % seqs.length];
    }

    /** The position of the first line after {@code seq} (binary search: seqs only grow). */
    int firstAfter(long seq) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (seqAt(mid) <= seq) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }

    Line line(int k, String id) {
      int i = (head + k) % seqs.length;
      int length = lengths[i];
      String text;
      int at = length == 0 ? 0 : (int) (positions[i] % store.length);
      if (at + length <= store.length) {
        text = new String(store, at, length, StandardCharsets.UTF_8);
      } else {
        byte[] joined = new byte[length];
        copyOut(store, positions[i], joined, 0, length);
        text = new String(joined, StandardCharsets.UTF_8);
      }
      return new Line(seqs[i], id, Instant.ofEpochMilli(ats[i]), text);
    }
  }
}
