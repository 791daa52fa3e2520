package dev.pmj.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Write a commented starter pmj.yaml in this folder (never overwrites).")
final class InitCommand implements Callable<Integer> {
  /**
   * Where editors find the schema: the address each release publishes it at (the same file as
   * schemas/pmj.schema.json in every archive), never a path of this machine, since the file is
   * committed and read on teammates' machines too.
   */
  static final String SCHEMA_URL = "https://pmj.dev/schemas/pmj.schema.json";

  private final Context context;

  InitCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Path target = context.locateExplicitFile().orElse(context.workingDir.resolve("pmj.yaml"));
    for (String name : dev.pmj.config.Sources.NAMES) {
      Path existing = target.resolveSibling(name);
      if (Files.exists(existing)) {
        context.err.println("pmj: " + existing + " already exists; not overwriting it");
        return ExitCodes.FAILURE;
      }
    }
    try {
      Files.writeString(
          target, starter(SCHEMA_URL), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      context.err.println("pmj: " + target + " already exists; not overwriting it");
      return ExitCodes.FAILURE;
    } catch (IOException e) {
      context.err.println("pmj: cannot write " + target + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    context.out.println(
        "wrote "
            + context.loader().display(target)
            + ": edit it, then run 'pmj validate' and 'pmj up'");
    return ExitCodes.OK;
  }

  static String starter(String schema) {
    return "# yaml-language-server: $schema="
        + schema
        + "\n"
        + "# pmj.yaml: the processes of this project. Run them with 'pmj up'.\n"
        + "# Every key is described in the schema above; your editor completes them.\n"
        + "version: 1\n"
        + "\n"
        + "# Variables for every process. ${NAME:-default} reads the environment, env files\n"
        + "# (.env is read when it exists) and other variables.\n"
        + "env:\n"
        + "  LOG_LEVEL: ${LOG_LEVEL:-info}\n"
        + "\n"
        + "# Restart a process when its files change (or run 'pmj up --dev').\n"
        + "devMode: false\n"
        + "\n"
        + "processes:\n"
        + "  # A long-running program. restart: always (the default) keeps it alive,\n"
        + "  # waiting longer after each crash (backoff).\n"
        + "  web:\n"
        + "    command: python3 -m http.server ${PORT:-8000}\n"
        + "    readiness:\n"
        + "      tcp: localhost:${PORT:-8000}\n"
        + "\n"
        + "  # A script run by its interpreter (interpreter: auto finds .venv, node, tsx, sh).\n"
        + "  # worker:\n"
        + "  #   script: worker.py\n"
        + "  #   dependsOn:\n"
        + "  #     web: ready\n"
        + "\n"
        + "  # A one-shot task: runs once, and is not restarted.\n"
        + "  hello:\n"
        + "    command: echo hello from pmj\n"
        + "    restart: never\n";
  }
}
