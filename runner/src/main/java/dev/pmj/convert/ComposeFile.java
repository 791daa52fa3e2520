package dev.pmj.convert;

import dev.pmj.config.DependencyCondition;
import dev.pmj.config.Durations;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import dev.pmj.config.RestartPolicy;
import dev.pmj.config.Sizes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Compose file for a project: one service per process (instances become {@code deploy.replicas}),
 * a healthcheck from each readiness probe so that {@code dependsOn: ready} becomes {@code
 * service_healthy}. Every service shares the host's network, as pmj's processes do.
 */
final class ComposeFile {
  /** pmj has no image: Compose reads it from the environment, and says so when it is unset. */
  static final String IMAGE = "${PMJ_IMAGE:?set PMJ_IMAGE to the image that has this project}";

  /** The profile of processes that do not start with the others (autostart: false). */
  static final String MANUAL = "manual";

  private final Project project;
  private final List<Group> groups;
  private final Notes notes = new Notes();
  private final Set<String> manual;
  private final EnvFileSets envs;
  private final Set<java.nio.file.Path> envFiles = new java.util.LinkedHashSet<>();

  ComposeFile(Project project) {
    this.project = project;
    this.groups = Group.of(project);
    this.manual = manual(groups);
    this.envs = new EnvFileSets(project);
  }

  /**
   * The processes that can go into the manual profile: autostart false, and no process that starts
   * with the others depends on them (Compose refuses a dependency on a service left out).
   */
  private static Set<String> manual(List<Group> groups) {
    Set<String> out = new HashSet<>();
    for (Group g : groups) if (!g.first().autostart()) out.add(g.name());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Group g : groups) {
        if (out.contains(g.name())) continue;
        for (String dep : g.dependsOn(groups).keySet()) changed |= out.remove(dep);
      }
    }
    return out;
  }

  Export.Output export(String fileName) {
    Map<String, Object> services = new LinkedHashMap<>();
    for (Group g : groups) services.put(g.name(), service(g));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", projectName(project.name()));
    root.put("services", services);
    List<String> about =
        new java.util.ArrayList<>(
            List.of(
                "pmj has no image: every service runs the image named by the variable PMJ_IMAGE,"
                    + " which must hold this project's programs and files at the same paths ("
                    + project.dir()
                    + ").",
                "network_mode: host keeps pmj's single network (the processes reach each other on"
                    + " localhost); without it, use service names instead of localhost.",
                envFiles.isEmpty()
                    ? "Variables are written with the values they had at export."
                    : "Variables written in pmj.yaml are written with the values they had at export."));
    if (!envFiles.isEmpty()) {
      about.add(
          "Secrets: the variables of env files are not written here: env_file reads "
              + EnvFileSets.shown(project, new ArrayList<>(envFiles))
              + " (the project's own, at their paths) when Compose starts a service; keep"
              + " them out of version control.");
    }
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    files.put(
        fileName, YamlText.document(Notes.header("compose", project, about, notes.all()), root));
    return new Export.Output(files, notes.all());
  }

  /**
   * A Compose project name: lowercase letters, digits, _ and -, starting with a letter or digit.
   */
  static String projectName(String name) {
    String n =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+|-+$", "");
    return n.isEmpty() ? "pmj" : n;
  }

  private Map<String, Object> service(Group g) {
    ProcessSpec p = g.first();
    notes.pmjOnly(g, "output goes to the container's log (docker compose logs " + g.name() + ")");
    notes.replicas(g, "Compose");
    if (p.watch().restartDependents()) {
      notes.add(g, "restartDependents: its dependents are not restarted after it restarts");
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("image", IMAGE);
    if (manual.contains(g.name())) {
      s.put("profiles", List.of(MANUAL));
      notes.add(
          g,
          "autostart: false: in the profile \""
              + MANUAL
              + "\", so docker compose up starts it only when named or with --profile "
              + MANUAL);
    } else if (!p.autostart()) {
      notes.add(
          g,
          "autostart: false: starts with the others, since a process that does depends on it"
              + " (Compose refuses a dependency on a service left out by a profile)");
    }
    s.put("command", escape(p.command()));
    s.put("working_dir", escape(p.cwd().toString()));
    if (!p.envFile().isEmpty() && !p.envFromFiles().isEmpty()) {
      // The project's own files: Compose reads the dotenv syntax pmj reads, and environment:
      // wins over them as pmj.yaml's env does. Values written here would put secrets in a file
      // meant to be shared.
      List<String> paths = new ArrayList<>();
      for (java.nio.file.Path f : EnvFileSets.distinct(p.envFile()))
        paths.add(escape(f.toString()));
      envFiles.addAll(p.envFile());
      s.put("env_file", paths);
      for (String name : envs.unbraced(p)) {
        notes.add(
            g,
            name
                + " in an env file has a $NAME that Compose's env_file substitutes and pmj keeps"
                + " as written; single-quote the value to keep it in both");
      }
    }
    Map<String, Object> env = new LinkedHashMap<>();
    g.sharedEnv()
        .forEach(
            (k, v) -> {
              if (p.envFromFiles().contains(k)) return;
              env.put(k, escape(v));
              for (String from : EnvFileSets.embedded(envs.of(p.id()), v)) {
                notes.add(
                    g,
                    "env "
                        + k
                        + " holds the value of "
                        + from
                        + " from an env file, and is written in environment: as pmj.yaml's env"
                        + " is; set "
                        + k
                        + " in the env file to keep it out");
              }
            });
    if (!env.isEmpty()) s.put("environment", env);
    s.put("network_mode", "host");
    s.put("restart", restart(g));
    s.put("stop_signal", "SIG" + p.stop().signal());
    s.put("stop_grace_period", Durations.format(p.stop().timeout()));
    Map<String, Object> deps = new LinkedHashMap<>();
    for (Map.Entry<String, DependencyCondition> d : g.dependsOn(groups).entrySet()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("condition", condition(g, Group.named(groups, d.getKey()), d.getValue()));
      deps.put(d.getKey(), c);
    }
    if (!deps.isEmpty()) s.put("depends_on", deps);
    if (p.readiness() != null) {
      Map<String, Object> health = healthcheck(g, p.readiness());
      if (health != null) s.put("healthcheck", health);
    }
    if (g.replicated()) s.put("deploy", Map.of("replicas", g.members().size()));
    if (!p.stopCommand().isEmpty()) {
      notes.add(
          g,
          "stopCommand "
              + String.join(" ", p.stopCommand())
              + ": Compose stops a container with its stop_signal only");
    }
    if (p.daemon()) {
      notes.add(
          g,
          "daemon: true: a container ends when its main process exits; run the program in the"
              + " foreground (its no-daemon option) as the container's command");
    }
    if (p.maxMemory() > 0) {
      String limit = MemoryUnits.DOCKER.format(p.maxMemory());
      s.put("mem_limit", limit);
      notes.add(
          g,
          "maxMemory "
              + Sizes.format(p.maxMemory())
              + ": mem_limit "
              + limit
              + " is a hard limit (the kernel ends the process at the limit), not a restart"
              + " after two samples above it");
    }
    return s;
  }

  private String restart(Group g) {
    ProcessSpec p = g.first();
    if (p.restart().policy() != RestartPolicy.NEVER) {
      notes.add(
          g,
          Notes.backoff(p)
              + ": Docker's own restart delay applies (it doubles from 100ms); a Compose file"
              + " cannot set it");
    }
    switch (p.restart().policy()) {
      case ALWAYS:
        if (p.restart().maxRetries() >= 0) {
          notes.add(
              g,
              "maxRetries "
                  + p.restart().maxRetries()
                  + ": restart: always has no limit in Compose (on-failure:N has one)");
        }
        return "always";
      case ON_FAILURE:
        return p.restart().maxRetries() >= 0
            ? "on-failure:" + p.restart().maxRetries()
            : "on-failure";
      default:
        return "no";
    }
  }

  private String condition(Group g, Group dep, DependencyCondition c) {
    switch (c) {
      case COMPLETED:
        return "service_completed_successfully";
      case READY:
        Readiness r = dep.first().readiness();
        if (r == null) return "service_started"; // no probe: ready is started, in pmj too
        if (r instanceof Readiness.LogLine) {
          notes.add(
              g,
              "dependsOn "
                  + dep.name()
                  + ": ready: service_started, since "
                  + dep.name()
                  + "'s logLine readiness has no healthcheck");
          return "service_started";
        }
        return "service_healthy";
      default:
        return "service_started";
    }
  }

  /** The healthcheck of a readiness probe, or null where Compose has none (logLine). */
  private Map<String, Object> healthcheck(Group g, Readiness r) {
    List<String> test = new ArrayList<>();
    if (r instanceof Readiness.Http h) {
      test.addAll(List.of("CMD", "curl", "-fsS", "-o", "/dev/null", h.url().toString()));
      notes.add(g, Notes.readiness(r) + ": a healthcheck with curl, so the image needs curl");
    } else if (r instanceof Readiness.Tcp t) {
      // No one program checks a port in every image: nc where it is, else bash's /dev/tcp.
      String hostPort = t.host() + " " + t.port();
      test.add("CMD-SHELL");
      test.add("nc -z " + hostPort + " || bash -c ': </dev/tcp/" + t.host() + "/" + t.port() + "'");
      notes.add(
          g,
          Notes.readiness(r)
              + ": a healthcheck with nc -z (or bash's /dev/tcp), so the image needs nc or bash");
    } else if (r instanceof Readiness.Exec e) {
      test.add("CMD");
      test.addAll(e.command());
    } else if (r instanceof Readiness.LogLine) {
      notes.add(
          g,
          Notes.readiness(r)
              + ": Compose has no log-line probe; no healthcheck, so it counts as ready once"
              + " started");
      return null;
    } else {
      throw new IllegalArgumentException("unknown readiness " + r);
    }
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("test", escape(test));
    h.put("interval", Durations.format(r.interval()));
    h.put("timeout", Durations.format(r.timeout()));
    return h;
  }

  /** Compose substitutes ${VAR} in every value of the file: $$ is a literal $. */
  static String escape(String s) {
    return s.replace("$", "$$");
  }

  private static List<String> escape(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) out.add(escape(w));
    return out;
  }
}
