package dev.pmj.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.utils.NonBlockingInputStream;

/**
 * The console's stdin, read on a thread of its own in chunks as the terminal hands them over: the
 * key map reads it byte by byte with timeouts (an Esc alone or the start of a sequence), input mode
 * takes each chunk whole, so that a key reaches the process at once and a paste or an escape
 * sequence in one write. (The terminal library's own reader hands over one byte at a time, and
 * gathering them again costs a wait.)
 */
final class KeyInput extends NonBlockingInputStream {
  private static final byte[] END = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private byte[] chunk = new byte[0];
  private int at;
  private boolean ended;

  KeyInput(InputStream in, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              try {
                int n;
                while ((n = in.read(buf)) >= 0) if (n > 0) chunks.add(Arrays.copyOf(buf, n));
              } catch (IOException e) {
                // the terminal is gone: the end, as for end of input
              }
              chunks.add(END);
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  /** One byte, or EOF, or READ_EXPIRED after {@code timeout} ms (0 or less: no limit). */
  @Override
  public synchronized int read(long timeout, boolean isPeek) throws IOException {
    if (at == chunk.length && !next(timeout)) return ended ? EOF : READ_EXPIRED;
    int b = chunk[at] & 0xff;
    if (!isPeek) at++;
    return b;
  }

  /**
   * What came in one read of the terminal (the rest of it, when the key map read its start), or
   * null after {@code timeout} ms; an empty array at the end of input.
   */
  synchronized byte[] readChunk(long timeout) throws IOException {
    if (at == chunk.length && !next(timeout)) return ended ? END : null;
    byte[] rest = Arrays.copyOfRange(chunk, at, chunk.length);
    at = chunk.length;
    return rest;
  }

  private boolean next(long timeout) throws IOException {
    if (ended) return false;
    byte[] c;
    try {
      c = timeout <= 0 ? chunks.take() : chunks.poll(timeout, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
    if (c == null) return false;
    if (c == END) {
      ended = true;
      return false;
    }
    chunk = c;
    at = 0;
    return true;
  }
}
