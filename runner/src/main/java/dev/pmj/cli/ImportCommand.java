package dev.pmj.cli;

import dev.pmj.config.ConfigProblem;
import dev.pmj.config.LoadResult;
import dev.pmj.config.Sources;
import dev.pmj.convert.Import;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Write the pmj.yaml for another runner's file: a Procfile, a PM2 ecosystem file (.js, .cjs,"
          + " .json, .yaml), process-compose.yaml or processman's pb_processes.json.",
      "What has no equivalent becomes a comment in the file and a warning here.",
      "pmj up -f FILE runs such a file directly."
    })
final class ImportCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
  Path source;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      description = "Where to write (default: pmj.yaml here; - for standard output).")
  String output;

  @Option(
      names = "--env",
      paramLabel = "NAME",
      description = "PM2: use each app's env_NAME over its env, as pm2 start --env NAME does.")
  String envName;

  @Option(
      names = "--eval",
      description =
          "PM2: run a JavaScript ecosystem file with node to read it, instead of reading it as"
              + " text (it then runs code of the file).")
  boolean eval;

  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  ImportCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Path file = context.workingDir.resolve(source).normalize();
    String display = context.loader().display(file);
    if (Files.isDirectory(file)) {
      context.err.println("pmj: " + display + ": is a folder; give the file to import");
      return ExitCodes.USAGE;
    }
    List<ConfigProblem> problems = new ArrayList<>();
    String text = Files.exists(file) ? Sources.read(file, display, problems::add) : null;
    if (text == null) {
      if (problems.isEmpty()) context.err.println("pmj: " + display + ": no such file");
      problems.forEach(p -> context.err.println("pmj: " + p.format()));
      return ExitCodes.USAGE;
    }
    boolean toStdout = "-".equals(output);
    Path out =
        toStdout
            ? null
            : context.workingDir.resolve(output == null ? "pmj.yaml" : output).normalize();
    if (out != null && out.equals(file)) {
      context.err.println(
          "pmj: -o " + display + ": that is the file being imported; choose another");
      return ExitCodes.USAGE;
    }
    if (out != null && Files.exists(out) && !force) {
      context.err.println(
          "pmj: "
              + context.loader().display(out)
              + " exists; pass --force to replace it, or -o to write elsewhere");
      return ExitCodes.USAGE;
    }
    Import.Options options =
        new Import.Options(envName, eval, Runtime.getRuntime().availableProcessors());
    Path outDir = out == null ? file.getParent() : out.getParent();
    Import.Result r = new Import(options).read(file, text, outDir);
    if (r.kind() == Import.Kind.PMJ && r.problems().isEmpty()) {
      context.err.println(
          "pmj: " + display + " is pmj's own file already (pmj validate checks it)");
      return ExitCodes.USAGE;
    }
    r.notices().forEach(n -> context.err.println("pmj: " + n));
    if (!r.ok()) {
      r.problems().forEach(p -> context.err.println(p.format()));
      return ExitCodes.USAGE;
    }
    // What is written must load: the same checks as pmj up.
    Path as = out == null ? file.resolveSibling("pmj.yaml") : out;
    LoadResult check = context.loader().load(as, r.yaml());
    // Problems of the written file itself are pmj import's; those of this machine (a folder, a
    // variable) or of another file it reads (an env file) are said for pmj up.
    String written = context.loader().display(as);
    List<ConfigProblem> wrong =
        check.problems().stream()
            .filter(p -> !p.aboutThisMachine() && p.file().equals(written))
            .toList();
    if (!wrong.isEmpty()) {
      context.err.println("pmj: the pmj.yaml made from " + display + " does not load:");
      wrong.forEach(p -> context.err.println(p.format()));
      context.err.println("pmj: this is a bug in pmj import; the file is not written");
      return ExitCodes.FAILURE;
    }
    for (String w : r.warnings()) context.err.println("pmj: warning: " + w);
    // A folder or a variable missing here: the file is right, pmj up will say what to do.
    for (ConfigProblem p : check.problems()) {
      context.err.println("pmj: before pmj up: " + p.format());
    }
    int n = r.ids().size();
    String summary =
        n
            + (n == 1 ? " process" : " processes")
            + " from "
            + display
            + " ("
            + r.kind().description()
            + ")"
            + (r.warnings().isEmpty()
                ? ""
                : "; "
                    + r.warnings().size()
                    + (r.warnings().size() == 1 ? " warning" : " warnings")
                    + " above, also as comments in the file");
    if (toStdout) {
      context.out.print(r.yaml());
      context.out.flush();
      context.err.println("pmj: " + summary);
      return ExitCodes.OK;
    }
    try {
      if (out.getParent() != null) Files.createDirectories(out.getParent());
      Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
      Files.writeString(tmp, r.yaml(), StandardCharsets.UTF_8);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      context.err.println(
          "pmj: cannot write " + context.loader().display(out) + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    context.out.println("wrote " + context.loader().display(out) + ": " + summary);
    return ExitCodes.OK;
  }
}
