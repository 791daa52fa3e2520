package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStateTest {
  @Test
  void theAllowedTransitionsAreExactlyTheLifecycle() {
    List<String> allowed = new ArrayList<>();
    for (ProcessState from : ProcessState.values()) {
      for (ProcessState to : ProcessState.values()) {
        if (from.canMoveTo(to)) allowed.add(from.word() + "->" + to.word());
      }
    }
    assertEquals(
        List.of(
            "pending->starting",
            "pending->stopped",
            "starting->running",
            "starting->failed",
            "running->ready",
            "running->stopping",
            "running->exited",
            "ready->stopping",
            "ready->exited",
            "stopping->stopped",
            "stopped->starting",
            // stopped for using too much memory (maxMemory) counts as a failure
            "stopped->backoff",
            "stopped->failed",
            "exited->starting",
            "exited->stopped",
            "exited->backoff",
            "exited->failed",
            "backoff->starting",
            "backoff->stopped",
            "failed->starting",
            "failed->stopped"),
        allowed);
  }
}
