package dev.pmj.os;

import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link CloseOnExecTest} in a JVM of its own (the tests' JVM may be too old for the foreign
 * function API): opens pipes as pmj does for its children until one is marked close-on-exec, or
 * until 5 s have passed, and prints "marked N through" (N pipes opened; a child wrote "through"
 * into the marked pipe) or "unmarked N".
 */
public final class CloseOnExecProbe {
  private CloseOnExecProbe() {}

  public static void main(String[] args) throws Exception {
    List<Pipe> pipes = new ArrayList<>();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      Pipe p = PollablePipes.open();
      pipes.add(p);
      boolean source = closeOnExec(p.source());
      boolean sink = closeOnExec(p.sink());
      if (source && sink) {
        // A child still gets the pipe: it opens the write end by its name.
        java.io.File out = PollablePipes.writeEnd(p);
        Process child =
            new ProcessBuilder("sh", "-c", "echo through")
                .redirectOutput(out)
                .redirectError(out)
                .start();
        p.sink().close();
        String line =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        java.nio.channels.Channels.newInputStream(p.source())))
                .readLine();
        child.waitFor();
        System.out.println("marked " + pipes.size() + " " + line);
        return;
      }
      if (source || sink || System.nanoTime() > deadline) {
        System.out.println("unmarked " + pipes.size() + (source || sink ? " (one end only)" : ""));
        return;
      }
      Thread.sleep(1); // pacing of a loop with a deadline, not synchronization
    }
  }

  private static boolean closeOnExec(java.nio.channels.Channel c) throws Exception {
    int fd = (Integer) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(c);
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
      if (line.startsWith("flags:")) {
        return (Integer.parseInt(line.substring(6).trim(), 8) & 02000000) != 0;
      }
    }
    return false;
  }
}
