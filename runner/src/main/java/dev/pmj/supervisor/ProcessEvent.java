package dev.pmj.supervisor;

import dev.pmj.config.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Everything the supervisor tells its subscribers, on one stream. */
public sealed interface ProcessEvent
    permits ProcessEvent.Snapshot,
        ProcessEvent.StateChanged,
        ProcessEvent.OutputLines,
        ProcessEvent.RestartScheduled,
        ProcessEvent.Notice,
        ProcessEvent.Added,
        ProcessEvent.Removed,
        ProcessEvent.Sampled {

  /** First event of every subscription: the state of every process when it subscribed. */
  record Snapshot(List<ProcessStatus> processes) implements ProcessEvent {
    public Snapshot {
      processes = List.copyOf(processes);
    }
  }

  /** A process moved from one state to another; {@code status} is after the move. */
  record StateChanged(ProcessState from, ProcessStatus status) implements ProcessEvent {
    public String id() {
      return status.id();
    }

    public ProcessState to() {
      return status.state();
    }
  }

  /**
   * Consecutive output lines of one process, read together. Line {@code i} is the bytes {@code
   * data[starts[i] .. starts[i] + lengths[i])}, without its newline; bytes are passed through as
   * the process wrote them (any encoding, ANSI codes, {@code \r}).
   */
  record OutputLines(String id, Instant at, byte[] data, int[] starts, int[] lengths)
      implements ProcessEvent {
    public int count() {
      return starts.length;
    }

    /** Line {@code i} decoded as UTF-8 (invalid bytes replaced), for matching and display. */
    public String line(int i) {
      return new String(data, starts[i], lengths[i], StandardCharsets.UTF_8);
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>(count());
      for (int i = 0; i < count(); i++) out.add(line(i));
      return out;
    }

    public void writeLine(int i, OutputStream out) throws IOException {
      out.write(data, starts[i], lengths[i]);
    }
  }

  /**
   * A restart after an exit is scheduled in {@code delay}: retry {@code retry} of {@code
   * maxRetries} (-1: no limit) after a failure, or {@code retry} 0 after a clean exit.
   */
  record RestartScheduled(String id, Duration delay, int retry, int maxRetries)
      implements ProcessEvent {}

  /** Something pmj says about a process (or about itself when {@code id} is null). */
  record Notice(String id, String text) implements ProcessEvent {}

  /**
   * A process was added while pmj runs (at run time, or by a reload of the file); {@code color} is
   * the one its file entry asks for, or null.
   */
  record Added(ProcessStatus status, boolean adHoc, Color color) implements ProcessEvent {
    public String id() {
      return status.id();
    }
  }

  /** A process was stopped and removed; it is in no later snapshot. */
  record Removed(String id) implements ProcessEvent {}

  /** CPU and memory of every running process tree, sampled once per tick. */
  record Sampled(java.util.List<ProcessMetrics> processes) implements ProcessEvent {
    public Sampled {
      processes = java.util.List.copyOf(processes);
    }
  }
}
