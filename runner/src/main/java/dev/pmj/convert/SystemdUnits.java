package dev.pmj.convert;

import dev.pmj.config.DependencyCondition;
import dev.pmj.config.Durations;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.RestartPolicy;
import dev.pmj.config.Sizes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * systemd units for a project: one {@code .service} per process id (instances are separate units,
 * so each keeps its own PMJ_INSTANCE), and {@code pmj-PROJECT.target} that wants them all. Written
 * for systemd 252: a fixed RestartSec, since RestartSteps= needs 254.
 */
final class SystemdUnits {
  private final Project project;
  private final List<Group> groups;
  private final Notes notes = new Notes();
  private final String prefix;
  private final Path dir;
  private final EnvFileSets envs;
  private final Map<EnvFileSets.Set, String> envFiles = new LinkedHashMap<>();

  SystemdUnits(Project project, Path dir) {
    this.project = project;
    this.dir = dir;
    this.groups = Group.of(project);
    this.prefix = "pmj-" + unitWord(project.name());
    this.envs = new EnvFileSets(project);
    for (EnvFileSets.Set set : envs.all()) {
      String base = prefix + (set.owner() == null ? "" : "-" + unitWord(set.owner()));
      String name = base + ".env";
      for (int n = 2; envFiles.containsValue(name); n++) name = base + "-" + n + ".env";
      envFiles.put(set, name);
    }
  }

  Export.Output export() {
    for (Group g : groups) note(g);
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    files.put(target(), targetText());
    for (Group g : groups) {
      for (ProcessSpec p : g.members()) files.put(unit(p.id()), unitText(g, p));
    }
    envFiles.forEach((set, name) -> files.put(name, SystemdEnvFile.text(project, set)));
    return new Export.Output(files, notes.all(), java.util.Set.copyOf(envFiles.values()));
  }

  private String target() {
    return prefix + ".target";
  }

  private String unit(String id) {
    return prefix + "-" + id + ".service";
  }

  /** A word systemd takes in a unit name (letters, digits, _ . -), as ServiceFiles names them. */
  static String unitWord(String name) {
    String n =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^-+|-+$", "");
    return n.isEmpty() ? "project" : n;
  }

  private void note(Group g) {
    ProcessSpec p = g.first();
    EnvFileSets.Set set = envs.of(p.id());
    for (String name : set == null ? List.<String>of() : set.templates()) {
      notes.add(
          g,
          name
              + " in "
              + EnvFileSets.shown(project, set.files())
              + " is a template: "
              + envFiles.get(set)
              + " has it as written (systemd does not substitute it)");
    }
    new java.util.TreeMap<>(p.env())
        .forEach(
            (k, v) -> {
              if (p.envFromFiles().contains(k)) return;
              for (String from : EnvFileSets.embedded(set, v)) {
                notes.add(
                    g,
                    "env "
                        + k
                        + " holds the value of "
                        + from
                        + " from an env file, and is written in the unit as pmj.yaml's env is;"
                        + " set "
                        + k
                        + " in the env file to keep it out");
              }
            });
    notes.pmjOnly(g, "output goes to the journal (journalctl -u " + unit(p.id()) + ")");
    if (p.watch().restartDependents()) {
      notes.add(
          g,
          "restartDependents: a systemctl restart of it restarts the units that require it, a"
              + " restart after a crash does not");
    }
    if (p.readiness() != null) {
      notes.add(
          g,
          Notes.readiness(p.readiness())
              + ": systemd has no readiness probe (Type=notify needs the program to call"
              + " sd_notify); units after it start once it has started");
    }
    for (Map.Entry<String, DependencyCondition> d : g.dependsOn(groups).entrySet()) {
      Group dep = Group.named(groups, d.getKey());
      if (d.getValue() == DependencyCondition.READY && dep.first().readiness() != null) {
        notes.add(
            g, "dependsOn " + dep.name() + ": ready: waits for its start only (After=, Requires=)");
      } else if (d.getValue() == DependencyCondition.COMPLETED
          && dep.first().restart().policy() != RestartPolicy.NEVER) {
        notes.add(
            g,
            "dependsOn "
                + dep.name()
                + ": completed: "
                + dep.name()
                + " keeps running here (restart: "
                + dep.first().restart().policy().word()
                + "), so After= waits for its start, not for a successful exit");
      }
    }
    if (p.restart().policy() != RestartPolicy.NEVER) {
      notes.add(
          g,
          Notes.backoff(p)
              + ": a fixed RestartSec="
              + Durations.format(p.restart().backoff())
              + " between restarts; the delay does not grow (RestartSteps= and"
              + " RestartMaxDelaySec= need systemd 254)");
      if (p.restart().maxRetries() >= 0) {
        notes.add(
            g,
            "maxRetries "
                + p.restart().maxRetries()
                + ": StartLimitBurst="
                + (p.restart().maxRetries() + 1)
                + " counts starts within StartLimitIntervalSec="
                + startLimitInterval(p)
                + ", not consecutive failures");
      }
    }
    if (p.maxMemory() > 0) {
      notes.add(
          g,
          "maxMemory "
              + Sizes.format(p.maxMemory())
              + ": MemoryMax="
              + MemoryUnits.SYSTEMD.format(p.maxMemory())
              + " is a hard limit (the kernel ends the process at the limit), not a restart"
              + " after two samples above it");
    }
  }

  private String targetText() {
    List<String> about = new ArrayList<>();
    about.add(
        "Starts every process of "
            + project.name()
            + ": systemctl start "
            + target()
            + " (systemctl enable "
            + target()
            + " starts them at boot).");
    about.addAll(commonAbout());
    if (!envFiles.isEmpty()) {
      about.add(
          "Secrets: the variables of env files are in "
              + String.join(", ", envFiles.values())
              + " beside these units (mode 0600), not in them; keep "
              + (envFiles.size() == 1 ? "it" : "them")
              + " out of version control.");
    }
    StringBuilder u = new StringBuilder();
    for (String line : Notes.header("systemd", project, about, notes.all())) {
      u.append(YamlText.comment(line)).append('\n');
    }
    u.append("[Unit]\n");
    u.append("Description=").append(text("pmj " + project.name() + " (" + project.file() + ")"));
    u.append('\n');
    List<String> wanted = new ArrayList<>();
    List<String> manual = new ArrayList<>();
    for (Group g : groups) {
      for (ProcessSpec p : g.members()) (p.autostart() ? wanted : manual).add(unit(p.id()));
    }
    if (!wanted.isEmpty()) u.append("Wants=").append(String.join(" ", wanted)).append('\n');
    if (!manual.isEmpty()) {
      u.append("# autostart: false, so not wanted here (systemctl start them by name): ")
          .append(String.join(" ", manual))
          .append('\n');
    }
    u.append("\n[Install]\nWantedBy=multi-user.target\n");
    return u.toString();
  }

  private List<String> commonAbout() {
    return List.of(
        "One unit per process id: instances are separate units (api.1, api.2, ...), not a"
            + " template unit, so each keeps its own PMJ_INSTANCE.",
        "System units for /etc/systemd/system; as user units (~/.config/systemd/user) change"
            + " WantedBy=multi-user.target to default.target.",
        envFiles.isEmpty()
            ? "Variables are written with the values they had at export."
            : "Variables written in pmj.yaml are written with the values they had at export;"
                + " those of env files are read from a file of their own (EnvironmentFile=).");
  }

  private String unitText(Group g, ProcessSpec p) {
    StringBuilder u = new StringBuilder();
    List<String> about = new ArrayList<>();
    about.add(
        "Process "
            + p.id()
            + (g.replicated() ? " (instance " + p.instance() + " of " + p.instances() + ")" : "")
            + "; "
            + target()
            + (p.autostart()
                ? " starts it with the others."
                : " does not (autostart: false): systemctl start " + unit(p.id()) + "."));
    about.addAll(commonAbout());
    EnvFileSets.Set set = envs.of(p.id());
    if (set != null) {
      about.add(
          "Secrets: the variables of "
              + EnvFileSets.shown(project, set.files())
              + " are not written here: EnvironmentFile= reads them from "
              + dir.resolve(envFiles.get(set))
              + " (mode 0600), written beside these units with the values the env files had at"
              + " export; keep it out of version control, and change EnvironmentFile= if you move"
              + " it.");
    }
    for (String line : Notes.header("systemd", project, about, notes.about(g.name()))) {
      u.append(YamlText.comment(line)).append('\n');
    }

    u.append("[Unit]\n");
    u.append("Description=").append(text("pmj " + project.name() + ": " + p.id())).append('\n');
    u.append("PartOf=").append(target()).append('\n');
    List<String> deps = new ArrayList<>();
    for (ProcessSpec d : project.processes()) { // in file order: dependsOn has none
      if (p.dependsOn().containsKey(d.id())) deps.add(unit(d.id()));
    }
    if (!deps.isEmpty()) {
      // ready and started alike: systemd orders after the start, and stops this unit with them
      u.append("After=").append(String.join(" ", deps)).append('\n');
      u.append("Requires=").append(String.join(" ", deps)).append('\n');
    }
    if (p.restart().policy() != RestartPolicy.NEVER) {
      if (p.restart().maxRetries() < 0) {
        u.append("# maxRetries -1: no limit on restarts\n");
        u.append("StartLimitIntervalSec=0\n");
      } else {
        u.append("StartLimitIntervalSec=").append(startLimitInterval(p)).append('\n');
        u.append("StartLimitBurst=").append(p.restart().maxRetries() + 1).append('\n');
      }
    }
    if (!p.autostart()) {
      u.append("# autostart: false: ").append(target()).append(" does not want this unit\n");
    }

    u.append("\n[Service]\n");
    if (p.restart().policy() == RestartPolicy.NEVER) {
      // runs once; "started" once it exited 0, which is what dependsOn: completed waits for
      u.append("Type=oneshot\nRemainAfterExit=yes\nTimeoutStartSec=infinity\n");
    } else if (p.daemon()) {
      // daemon: true: the program forks its daemon and exits; systemd follows the daemon
      u.append("Type=forking\n");
    } else {
      // exec: a program that cannot start fails the unit, as it fails the process in pmj
      u.append("Type=exec\n");
    }
    // the rest of the line is the path: systemd does not unquote it
    u.append("WorkingDirectory=").append(text(p.cwd().toString())).append('\n');
    if (set != null) {
      // read after Environment= and over it: the file holds no name that pmj.yaml sets
      u.append("EnvironmentFile=").append(text(dir.resolve(envFiles.get(set)).toString()));
      u.append('\n');
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(p.env()).entrySet()) {
      if (p.envFromFiles().contains(e.getKey())) continue;
      u.append("Environment=").append(word(e.getKey() + "=" + e.getValue(), false)).append('\n');
    }
    List<String> argv = p.command();
    if (!argv.get(0).startsWith("/")) {
      u.append("# ")
          .append(YamlText.oneLine(argv.get(0)))
          .append(" is not an absolute path: /usr/bin/env finds it on the unit's PATH\n");
      argv = new ArrayList<>(argv);
      argv.add(0, "/usr/bin/env");
    }
    u.append("ExecStart=");
    for (int i = 0; i < argv.size(); i++) {
      if (i > 0) u.append(' ');
      u.append(word(argv.get(i), true));
    }
    u.append('\n');
    u.append("Restart=")
        .append(
            switch (p.restart().policy()) {
              case ALWAYS -> "always";
              case ON_FAILURE -> "on-failure";
              case NEVER -> "no";
            })
        .append('\n');
    if (p.restart().policy() != RestartPolicy.NEVER) {
      u.append("RestartSec=").append(Durations.format(p.restart().backoff())).append('\n');
    }
    if (!p.stopCommand().isEmpty()) {
      List<String> stop = new ArrayList<>(p.stopCommand());
      if (!stop.get(0).startsWith("/")) stop.add(0, "/usr/bin/env");
      u.append("ExecStop=");
      for (int i = 0; i < stop.size(); i++) {
        if (i > 0) u.append(' ');
        u.append(word(stop.get(i), true));
      }
      u.append('\n');
    }
    u.append("KillSignal=SIG").append(p.stop().signal()).append('\n');
    u.append("TimeoutStopSec=").append(stopTimeout(p.stop().timeout())).append('\n');
    if (p.maxMemory() > 0) {
      u.append("# maxMemory: a hard limit here, not a restart after two samples above it\n");
      u.append("MemoryMax=").append(MemoryUnits.SYSTEMD.format(p.maxMemory())).append('\n');
    }
    return u.toString();
  }

  /**
   * The window for StartLimitBurst: long enough for every allowed restart of a process that fails
   * at once, and short enough that runs longer than healthyAfter (which pmj does not count as
   * failures) fall out of it.
   */
  private static String startLimitInterval(ProcessSpec p) {
    Duration each = p.restart().backoff().plus(p.restart().healthyAfter());
    return Durations.format(each.multipliedBy(p.restart().maxRetries() + 1L));
  }

  private static String stopTimeout(Duration d) {
    // 0 would mean "no timeout" to systemd; pmj means "kill at once"
    return d.isZero() ? "1ms" : Durations.format(d);
  }

  /** Free text in a unit file: specifiers escaped, on one line. */
  private static String text(String s) {
    return YamlText.oneLine(s).replace("%", "%%");
  }

  /**
   * One word of a setting that systemd splits into words (ExecStart=, Environment=): quoted when it
   * has blanks, quotes, a backslash or a control character, or is empty; {@code %} doubled (a
   * specifier otherwise), and in a command line {@code $} doubled too (a variable otherwise) and a
   * lone {@code ;} escaped (a command separator otherwise).
   */
  static String word(String v, boolean command) {
    String s = v.replace("%", "%%");
    if (command) {
      s = s.replace("$", "$$");
      if (s.equals(";")) return "\\;";
    }
    boolean quote = s.isEmpty();
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ' ' || c == '"' || c == '\'' || c == '\\' || Character.isISOControl(c);
    }
    if (!quote) return s;
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
          else if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
