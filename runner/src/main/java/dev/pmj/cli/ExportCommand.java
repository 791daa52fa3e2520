package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import dev.pmj.config.Project;
import dev.pmj.convert.Export;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pmj export systemd DIR | compose FILE | kubernetes DIR --image IMAGE} (README, "Coming
 * from another runner"): the file's processes as what runs them in production, each output saying
 * at its top what it was made from and what could not be carried over.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write the processes of the file for a production engine: systemd units, a Compose file or Kubernetes manifests.",
    subcommands = {
      ExportCommand.Systemd.class,
      ExportCommand.Compose.class,
      ExportCommand.Kubernetes.class
    })
final class ExportCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  ExportCommand(Context context) {}

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing what to export: systemd DIR, compose FILE or kubernetes DIR --image IMAGE");
  }

  /** Loads the file, makes the output, writes its files under {@code target}, reports. */
  private static int export(
      Context context,
      Path target,
      boolean folder,
      boolean force,
      String engine,
      Function<Project, Export.Output> make) {
    LoadResult loaded = context.load();
    if (loaded == null || !loaded.ok()) return ExitCodes.USAGE;
    Path to = context.workingDir.resolve(target).normalize();
    if (folder && Files.exists(to) && !Files.isDirectory(to)) {
      context.err.println("pmj: " + context.loader().display(to) + " is a file; give a folder");
      return ExitCodes.USAGE;
    }
    if (!folder && Files.isDirectory(to)) {
      context.err.println(
          "pmj: " + context.loader().display(to) + " is a folder; give the Compose file to write");
      return ExitCodes.USAGE;
    }
    Export.Output out;
    try {
      out = make.apply(loaded.project());
    } catch (UncheckedIOException e) { // an env file gone or unreadable since it was loaded
      context.err.println("pmj: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    List<Path> paths = new ArrayList<>();
    for (String name : out.files().keySet()) paths.add(folder ? to.resolve(name) : to);
    List<String> existing = new ArrayList<>();
    for (Path p : paths) if (Files.exists(p)) existing.add(context.loader().display(p));
    if (!existing.isEmpty() && !force) {
      context.err.println(
          "pmj: "
              + String.join(", ", existing)
              + (existing.size() == 1 ? " exists" : " exist")
              + "; pass --force to replace, or choose another "
              + (folder ? "folder" : "file"));
      return ExitCodes.USAGE;
    }
    try {
      int i = 0;
      for (Map.Entry<String, String> f : out.files().entrySet()) {
        Path p = paths.get(i++);
        if (p.getParent() != null) Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (out.secrets().contains(f.getKey())
            && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          // made readable by its owner only before a secret is in it
          Files.createFile(
              tmp,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      context.err.println(
          "pmj: cannot write " + context.loader().display(to) + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    for (String n : out.notCarried()) context.err.println("pmj: not carried over: " + n);
    int n = out.files().size();
    context.out.println(
        "wrote "
            + (folder ? n + (n == 1 ? " file" : " files") + " to " : "")
            + context.loader().display(to)
            + ": "
            + engine
            + " for "
            + processes(loaded.project())
            + " of "
            + context.loader().display(loaded.project().file())
            + (out.notCarried().isEmpty()
                ? ""
                : "; what is not carried over is listed above and at the top of "
                    + (n == 1 ? "the file" : "each file")));
    List<String> secrets = new ArrayList<>();
    for (String name : out.files().keySet()) {
      if (out.secrets().contains(name)) secrets.add(context.loader().display(to.resolve(name)));
    }
    if (!secrets.isEmpty()) {
      context.out.println(
          "the values of env files are in "
              + String.join(", ", secrets)
              + " (mode 0600): keep "
              + (secrets.size() == 1 ? "it" : "them")
              + " out of version control");
    }
    return ExitCodes.OK;
  }

  /** "3 processes": the processes of the file, an id with instances counted once. */
  private static String processes(Project project) {
    long n = project.processes().stream().filter(p -> p.instance() == 1).count();
    return n + (n == 1 ? " process" : " processes");
  }

  @Command(
      name = "systemd",
      mixinStandardHelpOptions = true,
      description = {
        "Write a systemd unit for each process and a target that starts them all into DIR,"
            + " and the variables of env files into DIR/pmj-PROJECT.env (mode 0600).",
        "Check them with systemd-analyze verify DIR/*.service DIR/*.target; install them into"
            + " ~/.config/systemd/user or /etc/systemd/system."
      })
  static final class Systemd implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to write into.")
    Path dir;

    @Option(names = "--force", description = "Replace files that exist.")
    boolean force;

    Systemd(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      Path to = context.workingDir.resolve(dir).toAbsolutePath().normalize();
      return export(context, dir, true, force, "systemd units", p -> Export.systemd(p, to));
    }
  }

  @Command(
      name = "compose",
      mixinStandardHelpOptions = true,
      description = {
        "Write a Compose file with a service for each process.",
        "Its services run the image named by PMJ_IMAGE: PMJ_IMAGE=my/app docker compose -f FILE up."
      })
  static final class Compose implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Compose file to write.")
    Path file;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    Compose(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      String name = file.getFileName() == null ? "compose.yaml" : file.getFileName().toString();
      return export(context, file, false, force, "a Compose file", p -> Export.compose(p, name));
    }
  }

  @Command(
      name = "kubernetes",
      mixinStandardHelpOptions = true,
      description = {
        "Write Kubernetes manifests into DIR: a Deployment for each process that keeps running,"
            + " a Job for one that ends, a Secret for each env file (mode 0600).",
        "Apply them with kubectl apply -f DIR."
      })
  static final class Kubernetes implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to write into.")
    Path dir;

    @Option(
        names = "--image",
        required = true,
        paramLabel = "IMAGE",
        description = "The container image that holds the project (its processes run in it).")
    String image;

    @Option(names = "--force", description = "Replace files that exist.")
    boolean force;

    Kubernetes(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      if (image.isBlank()) {
        context.err.println("pmj: --image is empty; name the image that holds the project");
        return ExitCodes.USAGE;
      }
      return export(
          context, dir, true, force, "Kubernetes manifests", p -> Export.kubernetes(p, image));
    }
  }
}
