package dev.pmj.os;

import java.io.InputStream;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;

/**
 * A started process: its pid (also its process group id), its combined stdout and stderr, and its
 * exit code (128 + n when a signal n ended it).
 *
 * <p>Where one thread can wait on many pipes (Linux), {@code channel} is the pipe as a selectable
 * channel and {@code output} reads the same pipe: use one or the other. Elsewhere {@code channel}
 * is null and the output is read by a thread of its own. A child started in a terminal has its
 * {@code terminal} (its output is the terminal's), one started with input its stdin as a {@link
 * Terminal} in line mode; others have none (null).
 */
public record Child(
    long pid,
    InputStream output,
    Pipe.SourceChannel channel,
    CompletableFuture<Integer> exit,
    Terminal terminal) {

  /** A child without a terminal. */
  public Child(
      long pid, InputStream output, Pipe.SourceChannel channel, CompletableFuture<Integer> exit) {
    this(pid, output, channel, exit, null);
  }

  /** A child whose output can only be read by a thread that waits on it. */
  public Child(long pid, InputStream output, CompletableFuture<Integer> exit) {
    this(pid, output, null, exit, null);
  }
}
