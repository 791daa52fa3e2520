package dev.pmj.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** How pmj decides that a running process is ready. */
public sealed interface Readiness
    permits Readiness.Http, Readiness.Tcp, Readiness.Exec, Readiness.LogLine {

  /** Time between two probes. */
  Duration interval();

  /** Time allowed for one probe. */
  Duration timeout();

  /** Ready when a GET of the URL answers 2xx or 3xx. */
  record Http(URI url, Duration interval, Duration timeout) implements Readiness {}

  /** Ready when a TCP connection to host:port succeeds. */
  record Tcp(String host, int port, Duration interval, Duration timeout) implements Readiness {}

  /** Ready when the command exits 0. */
  record Exec(List<String> command, Duration interval, Duration timeout) implements Readiness {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /** Ready when an output line of the process matches the pattern. */
  record LogLine(Pattern pattern, Duration interval, Duration timeout) implements Readiness {}
}
