package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Loads a sample project the way real commands do, so that the launcher's class-data archive
 * (recorded during this run) holds the classes a real start needs. Not for users.
 *
 * <p>On Java 25 every class in the cache is loaded at each start, needed or not, so the launcher
 * keeps one cache per kind of start: {@code up} (pmj up without a terminal: only what it loads),
 * {@code console} (pmj up in a terminal: the console too) and every other command.
 */
@Command(name = "__warmup", hidden = true)
final class WarmupCommand implements Callable<Integer> {
  private final Context context;

  @picocli.CommandLine.Parameters(arity = "0..1", description = "up, console, or nothing: all")
  private String role = "";

  WarmupCommand(Context context) {
    this.context = context;
  }

  WarmupCommand(Context context, String role) {
    this.context = context;
    this.role = role;
  }

  /** Runs one short process the way `pmj up` does, so the up path's classes are archived too. */
  private void runUp(dev.pmj.config.Project project) {
    java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    dev.pmj.output.LineFormat format =
        new dev.pmj.output.LineFormat(
            project.processes(), new dev.pmj.output.LineFormat.Style(true, true, true));
    try (Session session =
        new Session(
            project,
            List.of("warm"),
            new dev.pmj.supervisor.Supervisor.Options(context.env, true))) {
      var writer =
          session.subscribe(
              "stdout",
              new dev.pmj.output.PlainWriter(format, sink),
              dev.pmj.supervisor.EventStream.Delivery.LOSSLESS,
              64,
              true);
      session.supervisor.up();
      api(session);
      session.supervisor.finished().get(10, java.util.concurrent.TimeUnit.SECONDS);
      session.supervisor.shutdown().get(10, java.util.concurrent.TimeUnit.SECONDS);
      writer.closeAndDrain(1000);
    } catch (Exception e) {
      // A warm-up that could not run only makes the archive smaller.
    }
  }

  /** Serves the API and asks it what pmj ps and pmj logs ask, to archive both sides' classes. */
  private void api(Session session) {
    session.control(context.loader(), id -> false, "warm-up", by -> {}, id -> "cyan");
    try {
      dev.pmj.api.ApiServer api = session.serve(0, text -> {});
      dev.pmj.api.HttpControl client =
          new dev.pmj.api.HttpControl(
              new dev.pmj.api.Instance.State(
                  ProcessHandle.current().pid(),
                  api.port(),
                  api.token(),
                  "",
                  "",
                  java.time.Instant.now()),
              "warm-up");
      PsCommand.table(client.processes(), java.time.Instant.now());
      client.logs(dev.pmj.supervisor.LogStore.Query.all());
      client.project();
      client.health();
    } catch (java.io.IOException | RuntimeException e) {
      // A warm-up that could not run only makes the archive smaller.
    }
  }

  /** Registers a devMode watch and waits until it says so, to archive the watch classes. */
  private static void watch(dev.pmj.config.Project project) {
    java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
    try (dev.pmj.watch.DevWatch w =
        dev.pmj.watch.DevWatch.start(
            project.dir(),
            project.processes(),
            new dev.pmj.watch.OsTreeWatcher(),
            new dev.pmj.watch.DevWatch.Sink() {
              @Override
              public void changed(dev.pmj.watch.Change change, String description) {}

              @Override
              public void notice(String processId, String text) {
                registered.countDown();
              }
            })) {
      registered.await(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("pmj-warmup");
    Path file = dir.resolve("pmj.yaml");
    try {
      if (role.isEmpty()) {
        Files.writeString(file, InitCommand.starter(InitCommand.SCHEMA_URL));
        LoadResult result = context.loader().load(file);
        if (result.ok()) new ConfigCommand(context).describe(result.project());
      }
      Files.writeString(
          file,
          "processes:\n  warm:\n    command: sh -c 'echo warm'\n    restart: never\n"
              + "    readiness:\n      logLine: warm\n");
      LoadResult up = context.loader().load(file);
      if (up.ok()) {
        if (role.isEmpty()) {
          runUp(up.project());
          watch(up.project());
        }
        if (!role.equals("up")) dev.pmj.console.Console.warmUp();
        // And pmj up itself, as a user runs it, so that its own lambdas and method handles are
        // archived too (made at start otherwise: about 15 ms before the processes start). Last:
        // it leaves its signal handlers installed, which would swallow a Ctrl-C after it.
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        new Main(sink, sink, java.io.InputStream.nullInputStream(), context.env, dir).run("up");
      }
      if (!role.isEmpty()) return ExitCodes.OK;
      Path json = dir.resolve("pmj.json");
      Files.writeString(
          json, "{\"version\": 1, \"processes\": {\"a\": {\"command\": [\"true\"], \"bad\": 1}}}");
      context.loader().load(json);
      return ExitCodes.OK;
    } finally {
      try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
