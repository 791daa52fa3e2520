package dev.pmj.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What makes the operating system run {@code pmj up} for a project at login (or boot) and start it
 * again when it fails (README, "In the background"): a systemd unit, a launchd agent, a Windows
 * scheduled task. pmj runs in the foreground of the service manager there: the manager is the
 * supervisor of pmj. Pure text from the inputs, so each form is tested on any OS.
 */
public final class ServiceFiles {
  private ServiceFiles() {}

  /**
   * What a service runs.
   *
   * @param name the service's name (pmj-shop)
   * @param project the project's name
   * @param file the ecosystem file, absolute
   * @param dir the file's folder, where pmj runs
   * @param launcher the pmj launcher, absolute
   * @param path the PATH the processes need (the one of whoever installs the service)
   */
  public record Service(
      String name, String project, String file, String dir, String launcher, String path) {
    /** A service for {@code file}, run by {@code launcher} (paths of this OS). */
    public static Service of(String project, Path file, Path launcher, String path) {
      return new Service(
          ServiceFiles.name(project),
          project,
          file.toString(),
          file.getParent().toString(),
          launcher.toString(),
          path);
    }

    /** The command line: pmj up in the foreground, plain lines for the service's log. */
    public List<String> command() {
      return List.of(launcher, "up", "--no-console", "-f", file);
    }
  }

  /** A service name from a project's name: pmj-NAME, with what systemd and launchd accept. */
  public static String name(String project) {
    String n =
        project.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^-+|-+$", "");
    return "pmj-" + (n.isEmpty() ? "project" : n);
  }

  /**
   * A systemd unit. {@code systemdVersion} chooses the backoff: from 254 on, RestartSteps and
   * RestartMaxDelaySec grow the delay between restarts; before, a fixed RestartSec with a start
   * limit. {@code user} is null for a user unit, else the account a system unit runs as.
   */
  public static String systemd(Service s, String user, int systemdVersion) {
    StringBuilder u = new StringBuilder();
    u.append("# Written by pmj service install")
        .append(user == null ? " --user" : "")
        .append(" for ")
        .append(s.file())
        .append(".\n# pmj service uninstall")
        .append(user == null ? " --user" : "")
        .append(" removes it.\n");
    u.append("[Unit]\n");
    u.append("Description=pmj: ").append(s.project()).append(" (").append(s.file()).append(")\n");
    u.append("After=network.target\n");
    if (systemdVersion < 254) u.append("StartLimitIntervalSec=10min\nStartLimitBurst=20\n");
    u.append("\n[Service]\n");
    u.append("Type=simple\n");
    if (user != null) u.append("User=").append(user).append('\n');
    // A path to the end of the line: systemd does not unquote this one.
    u.append("WorkingDirectory=").append(s.dir().replace("%", "%%")).append('\n');
    u.append("Environment=").append(quoteSystemd("PATH=" + s.path())).append('\n');
    u.append("ExecStart=");
    for (int i = 0; i < s.command().size(); i++) {
      if (i > 0) u.append(' ');
      u.append(quoteSystemd(s.command().get(i)));
    }
    u.append('\n');
    u.append("Restart=on-failure\n");
    if (systemdVersion >= 254) {
      u.append("RestartSec=1s\nRestartSteps=10\nRestartMaxDelaySec=2min\n");
    } else {
      u.append("RestartSec=15s\n");
    }
    // SIGTERM to pmj alone: pmj stops its processes in order, then exits; the rest gets SIGKILL
    // only if that takes longer than TimeoutStopSec.
    u.append("KillMode=mixed\nKillSignal=SIGTERM\nTimeoutStopSec=5min\n");
    u.append("\n[Install]\n");
    u.append("WantedBy=")
        .append(user == null ? "default.target" : "multi-user.target")
        .append('\n');
    return u.toString();
  }

  /** A value for a unit file: quoted when it has spaces or quotes, as systemd splits words. */
  static String quoteSystemd(String v) {
    if (!v.isEmpty()
        && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '\t')) {
      return v.replace("%", "%%");
    }
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
  }

  /** A launchd agent (macOS), for ~/Library/LaunchAgents/LABEL.plist. */
  public static String launchd(Service s) {
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append(
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
    x.append("<!-- Written by pmj service install for ").append(xml(s.file())).append(". -->\n");
    x.append("<plist version=\"1.0\">\n<dict>\n");
    key(x, "Label").append("  <string>").append(label(s)).append("</string>\n");
    key(x, "ProgramArguments").append("  <array>\n");
    for (String a : s.command()) x.append("    <string>").append(xml(a)).append("</string>\n");
    x.append("  </array>\n");
    key(x, "WorkingDirectory").append("  <string>").append(xml(s.dir())).append("</string>\n");
    key(x, "EnvironmentVariables").append("  <dict>\n");
    x.append("    <key>PATH</key>\n    <string>").append(xml(s.path())).append("</string>\n");
    x.append("  </dict>\n");
    key(x, "RunAtLoad").append("  <true/>\n");
    key(x, "KeepAlive")
        .append("  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
    key(x, "ThrottleInterval").append("  <integer>10</integer>\n");
    String log = xml(s.dir() + "/.pmj/service.log");
    key(x, "StandardOutPath").append("  <string>").append(log).append("</string>\n");
    key(x, "StandardErrorPath").append("  <string>").append(log).append("</string>\n");
    x.append("</dict>\n</plist>\n");
    return x.toString();
  }

  /** The launchd label: dev.pmj.NAME. */
  public static String label(Service s) {
    return "dev.pmj." + s.name().substring("pmj-".length());
  }

  private static StringBuilder key(StringBuilder x, String key) {
    return x.append("  <key>").append(key).append("</key>\n");
  }

  /**
   * A Windows scheduled task (Task Scheduler 1.2 XML, for schtasks /Create /XML): at logon, no time
   * limit, started again every minute after a failure, up to 255 times in a row (the most its
   * schema allows).
   */
  public static String windowsTask(Service s) {
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
    x.append(
        "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n");
    x.append("  <RegistrationInfo>\n");
    x.append("    <Description>pmj: ")
        .append(xml(s.project()))
        .append(" (")
        .append(xml(s.file()))
        .append(
            "). Written by pmj service install; pmj service uninstall removes it.</Description>\n");
    x.append("    <URI>\\pmj\\").append(xml(s.name())).append("</URI>\n");
    x.append("  </RegistrationInfo>\n");
    x.append(
        "  <Triggers>\n    <LogonTrigger>\n      <Enabled>true</Enabled>\n    </LogonTrigger>\n  </Triggers>\n");
    x.append(
            "  <Principals>\n    <Principal id=\"Author\">\n      <LogonType>InteractiveToken</LogonType>\n")
        .append("      <RunLevel>LeastPrivilege</RunLevel>\n    </Principal>\n  </Principals>\n");
    x.append("  <Settings>\n");
    x.append("    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n");
    x.append("    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n");
    x.append("    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n");
    x.append("    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>\n");
    x.append(
        "    <RestartOnFailure>\n      <Interval>PT1M</Interval>\n      <Count>255</Count>\n    </RestartOnFailure>\n");
    x.append("    <Enabled>true</Enabled>\n");
    x.append("  </Settings>\n");
    x.append("  <Actions Context=\"Author\">\n    <Exec>\n");
    x.append("      <Command>").append(xml(s.launcher())).append("</Command>\n");
    StringBuilder args = new StringBuilder();
    List<String> cmd = s.command();
    for (int i = 1; i < cmd.size(); i++) {
      if (i > 1) args.append(' ');
      String a = cmd.get(i);
      args.append(a.contains(" ") ? "\"" + a + "\"" : a);
    }
    x.append("      <Arguments>").append(xml(args.toString())).append("</Arguments>\n");
    x.append("      <WorkingDirectory>").append(xml(s.dir())).append("</WorkingDirectory>\n");
    x.append("    </Exec>\n  </Actions>\n</Task>\n");
    return x.toString();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
