package dev.pmj.os;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny shell process that outlives a killed JVM: its stdin is a pipe from pmj on which pmj lists
 * the process groups it runs (in 100 lists, by the pid's last two digits: dash removes a word from
 * a long string in time that grows with the square of its place, and 1,000 processes stopping in
 * any order took it 5 s of CPU). When the pipe closes (pmj exited or was SIGKILLed), it sends TERM
 * to every group still listed, and to every process that still carries pmj's marker (one that left
 * its group), and KILL a second later. A clean exit forgets every group first, so the watchdog then
 * ends nothing.
 */
final class Watchdog {
  static final String SCRIPT =
      "trap '' INT TERM HUP PIPE\n"
          + "bs=' '\n"
          + "while read -r op p; do\n"
          + "  b=g${p#\"${p%??}\"}\n"
          + "  case $bs in *\" $b \"*) eval \"s=\\$$b\" ;; *) bs=\"$bs$b \" s=' ' ;; esac\n"
          + "  case $op in\n"
          + "    +) s=\"$s$p \" ;;\n"
          + "    -) case $s in *\" $p \"*) s=\"${s%% $p *} ${s#* $p }\" ;; esac ;;\n"
          + "  esac\n"
          + "  eval \"$b=\\$s\"\n"
          + "done\n"
          + "g=\n"
          + "for b in $bs; do eval \"g=\\\"\\$g \\$$b\\\"\"; done\n"
          // Processes that left their group still carry pmj's marker ($1): found in /proc.
          + "m=''\n"
          + "for f in $(grep -lzxF \"$1\" /proc/[0-9]*/environ 2>/dev/null); do\n"
          + "  f=${f#/proc/}; m=\"$m ${f%/environ}\"\n"
          + "done\n"
          + "set -- $g\n"
          + "[ $# -eq 0 ] && [ -z \"$m\" ] && exit 0\n"
          + "for p; do kill -TERM -$p 2>/dev/null; done\n"
          + "for p in $m; do kill -TERM $p 2>/dev/null; done\n"
          + "i=0\n"
          + "while [ $i -lt 10 ]; do\n"
          + "  alive=0\n"
          + "  for p; do kill -0 -$p 2>/dev/null && alive=1; done\n"
          + "  for p in $m; do\n"
          + "    [ -e /proc/$p ] && ! grep -q '^[^)]*) Z' /proc/$p/stat 2>/dev/null && alive=1\n"
          + "  done\n"
          + "  [ $alive -eq 0 ] && exit 0\n"
          + "  sleep 0.1; i=$((i+1))\n"
          + "done\n"
          + "for p; do kill -KILL -$p 2>/dev/null; done\n"
          + "for p in $m; do kill -KILL $p 2>/dev/null; done\n";

  private final Process process;
  private final OutputStream in;

  private Watchdog(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
  }

  /**
   * @param marker {@code NAME=VALUE} in the environment of every process pmj started, and of their
   *     descendants
   */
  static Watchdog start(List<String> newSession, String marker) {
    List<String> command = new ArrayList<>(newSession);
    command.addAll(List.of("/bin/sh", "-c", SCRIPT, "pmj-watchdog", marker));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return new Watchdog(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the watchdog process: " + e.getMessage(), e);
    }
  }

  void watch(long pid) {
    send("+ " + pid + "\n");
  }

  void forget(long pid) {
    send("- " + pid + "\n");
  }

  private void send(String line) {
    try {
      in.write(line.getBytes(StandardCharsets.US_ASCII));
      in.flush();
    } catch (IOException e) {
      // The watchdog is gone; pmj still stops its processes itself on a normal exit.
    }
  }

  void close() {
    try {
      in.close();
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // already closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
