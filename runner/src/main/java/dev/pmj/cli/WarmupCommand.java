package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Loads a sample project the way real commands do, so that the launcher's class-data archive
 * (recorded during this run) holds the classes a real start needs. Not for users.
 */
@Command(name = "__warmup", hidden = true)
final class WarmupCommand implements Callable<Integer> {
  private final Context context;

  WarmupCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("pmj-warmup");
    Path file = dir.resolve("pmj.yaml");
    try {
      Files.writeString(file, InitCommand.starter(InitCommand.SCHEMA_URL));
      LoadResult result = context.loader().load(file);
      if (result.ok()) new ConfigCommand(context).describe(result.project());
      Path json = dir.resolve("pmj.json");
      Files.writeString(json, "{\"version\": 1, \"processes\": {\"a\": {\"command\": [\"true\"], \"bad\": 1}}}");
      context.loader().load(json);
      return ExitCodes.OK;
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir.resolve("pmj.json"));
      Files.deleteIfExists(dir);
    }
  }
}
