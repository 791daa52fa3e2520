package dev.pmj.os;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Work done once, beside the caller, on a daemon thread of its own that ends with it. */
public final class OwnThread {
  private OwnThread() {}

  /** Runs {@code work} on a new thread named {@code name}; its result or failure completes it. */
  public static <T> CompletableFuture<T> supply(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(work.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return result;
  }
}
