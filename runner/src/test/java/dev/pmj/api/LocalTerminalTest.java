package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ProcessState;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The terminal contract in the process: what the console drives. */
class LocalTerminalTest extends TerminalContract {
  @Override
  Control control(Stack stack) {
    return stack.local;
  }

  @Test
  void aFollowerThatFallsAMebibyteBehindIsDroppedAndTheProcessRunsOn() throws Exception {
    control.add(
        "{\"id\": \"flood\", \"interactive\": true, \"restart\": \"never\", \"command\":"
            + " [\"python3\", \"-c\", \"input(); print('x' * 3000000, flush=True)\"]}",
        "test");
    stack.awaitState("flood", ProcessState.READY);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong got = new AtomicLong();
    CompletableFuture<Boolean> ended = new CompletableFuture<>();
    try (AutoCloseable f =
        control.followTerminal(
            "flood",
            new Control.TerminalFollower() {
              @Override
              public void output(byte[] bytes) {
                got.addAndGet(bytes.length);
                try {
                  release.await(); // a follower that does not keep up
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              @Override
              public void exited(ProcessState state, Integer code) {}

              @Override
              public void restarted(long pid) {}

              @Override
              public void ended(boolean dropped) {
                ended.complete(dropped);
              }
            })) {
      control.input("flood", "\r".getBytes(StandardCharsets.UTF_8));
      // Its run ends once all its output is read: all of it has been offered to the follower.
      stack.until(() -> control.process("flood").state(), s -> s == ProcessState.EXITED);
      release.countDown();
      assertTrue(ended.get(20, TimeUnit.SECONDS), "dropped");
      assertTrue(got.get() < 3_000_000, "not all of it was delivered: " + got.get());
    }
  }
}
