package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import dev.pmj.config.Project;
import dev.pmj.os.Platform;
import dev.pmj.os.ServiceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pmj service install|uninstall [--user]} (README, "In the background"): makes the operating
 * system run pmj up for this project at login or boot and start it again when it fails, and says
 * what it wrote and how to check it.
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description =
        "Run pmj up for this project as an OS service: a systemd unit, a launchd agent or a Windows scheduled task.",
    subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class})
final class ServiceCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  ServiceCommand(Context context) {}

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command (install or uninstall)");
  }

  /** Where a service is written, and how to turn it on and check it. */
  private record Target(
      Path file,
      String text,
      List<List<String>> enable,
      List<List<String>> disable,
      String check) {}

  private static Target target(Context context, Project project, boolean user) throws IOException {
    // The path the user invoked pmj by (the launcher says), so that a service keeps working after
    // an upgrade in place behind a link; else the launcher of the source checkout.
    String invoked = System.getProperty("pmj.launcher");
    String home = System.getProperty("pmj.home");
    Path launcher =
        invoked != null && !invoked.isEmpty()
            ? Path.of(invoked)
            : home == null
                ? null
                : Path.of(home).resolve(Platform.isWindows() ? "pmj.cmd" : "pmj").toAbsolutePath();
    if (launcher == null || !Files.exists(launcher)) {
      throw new IOException(
          "pmj service needs pmj started by its launcher (the pmj script), whose path the service runs");
    }
    ServiceFiles.Service s =
        ServiceFiles.Service.of(
            project.name(),
            project.file(),
            launcher,
            context.env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    Path userHome = Path.of(context.env.getOrDefault("HOME", System.getProperty("user.home")));
    if (Platform.isWindows()) {
      Path dir =
          Path.of(context.env.getOrDefault("LOCALAPPDATA", userHome.toString())).resolve("pmj");
      String task = "\\pmj\\" + s.name();
      Path file = dir.resolve(s.name() + ".xml");
      return new Target(
          file,
          ServiceFiles.windowsTask(s),
          List.of(List.of("schtasks", "/Create", "/XML", file.toString(), "/TN", task, "/F")),
          List.of(List.of("schtasks", "/Delete", "/TN", task, "/F")),
          "schtasks /Query /TN " + task + " /V /FO LIST");
    }
    if (Platform.isMac()) {
      String label = ServiceFiles.label(s);
      Path file = userHome.resolve("Library/LaunchAgents").resolve(label + ".plist");
      return new Target(
          file,
          ServiceFiles.launchd(s),
          List.of(List.of("launchctl", "load", "-w", file.toString())),
          List.of(List.of("launchctl", "unload", "-w", file.toString())),
          "launchctl list " + label);
    }
    String unit = s.name() + ".service";
    String xdg = context.env.get("XDG_CONFIG_HOME");
    Path dir =
        user
            ? (xdg == null || xdg.isEmpty() ? userHome.resolve(".config") : Path.of(xdg))
                .resolve("systemd/user")
            : Path.of("/etc/systemd/system");
    List<String> systemctl = new ArrayList<>(List.of("systemctl"));
    if (user) systemctl.add("--user");
    List<String> reload = new ArrayList<>(systemctl);
    reload.add("daemon-reload");
    List<String> enable = new ArrayList<>(systemctl);
    enable.addAll(List.of("enable", "--now", unit));
    List<String> disable = new ArrayList<>(systemctl);
    disable.addAll(List.of("disable", "--now", unit));
    return new Target(
        dir.resolve(unit),
        ServiceFiles.systemd(s, user ? null : System.getProperty("user.name"), systemdVersion()),
        List.of(reload, enable),
        List.of(disable, reload),
        String.join(" ", systemctl) + " status " + unit);
  }

  /** The version of systemd here (252 when it cannot be told: the forms every version reads). */
  static int systemdVersion() {
    try {
      Process p = new ProcessBuilder("systemctl", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^systemd ([0-9]+)").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 252;
    } catch (IOException | RuntimeException e) {
      return 252;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 252;
    }
  }

  /** Whether the service manager runs here, so that enabling the service makes sense now. */
  private static boolean managerRuns() {
    if (Platform.isWindows() || Platform.isMac()) return true;
    return Files.isDirectory(Path.of("/run/systemd/system"));
  }

  /** Runs each command; false at the first that fails (after printing why). */
  private static boolean runAll(Context context, List<List<String>> commands) {
    for (List<String> c : commands) {
      try {
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          context.err.println(
              "pmj: " + String.join(" ", c) + " failed" + (out.isEmpty() ? "" : ": " + out));
          return false;
        }
        context.out.println("ran: " + String.join(" ", c));
      } catch (IOException e) {
        context.err.println("pmj: cannot run " + c.get(0) + ": " + e.getMessage());
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = "Write the service and turn it on.")
  static final class Install implements Callable<Integer> {
    private final Context context;

    @Option(
        names = "--user",
        description = "A service of this user, started at login (Linux: a user unit).")
    boolean user;

    Install(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      LoadResult r = context.load();
      if (r == null || !r.ok()) return ExitCodes.USAGE;
      Target t;
      try {
        t = target(context, r.project(), user);
        if (Files.exists(t.file())) {
          String old = Files.readString(t.file(), StandardCharsets.UTF_8);
          if (!old.contains(r.project().file().toString())) {
            context.err.println(
                "pmj: "
                    + t.file()
                    + " belongs to another project; give this one another name (name: in the file)");
            return ExitCodes.FAILURE;
          }
        }
        Files.createDirectories(t.file().getParent());
        if (Platform.isWindows()) {
          // schtasks reads the task's XML as UTF-16, as its declaration says.
          Files.write(t.file(), ("\uFEFF" + t.text()).getBytes(StandardCharsets.UTF_16LE));
        } else {
          Files.writeString(t.file(), t.text(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        context.err.println("pmj: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      context.out.println("wrote " + t.file());
      if (managerRuns()) {
        if (!runAll(context, t.enable())) return ExitCodes.FAILURE;
      } else {
        context.out.println("no service manager runs here; turn it on with:");
        for (List<String> c : t.enable()) context.out.println("  " + String.join(" ", c));
      }
      context.out.println("check it: " + t.check());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "uninstall",
      mixinStandardHelpOptions = true,
      description = "Turn the service off and remove it.")
  static final class Uninstall implements Callable<Integer> {
    private final Context context;

    @Option(names = "--user", description = "The service of this user (as installed with --user).")
    boolean user;

    Uninstall(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      LoadResult r = context.load();
      if (r == null || !r.ok()) return ExitCodes.USAGE;
      try {
        Target t = target(context, r.project(), user);
        if (!Files.exists(t.file())) {
          context.err.println("pmj: there is no " + t.file() + " to remove");
          return ExitCodes.FAILURE;
        }
        if (managerRuns()) runAll(context, t.disable().subList(0, 1));
        Files.delete(t.file());
        context.out.println("removed " + t.file());
        if (managerRuns() && t.disable().size() > 1)
          runAll(context, t.disable().subList(1, t.disable().size()));
        return ExitCodes.OK;
      } catch (IOException e) {
        context.err.println("pmj: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
    }
  }
}
