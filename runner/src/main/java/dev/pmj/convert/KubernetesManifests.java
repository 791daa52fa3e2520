package dev.pmj.convert;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import dev.pmj.config.RestartPolicy;
import dev.pmj.config.Sizes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes manifests for a project, one file per process: a Deployment for a process that is
 * always restarted ({@code replicas} from {@code instances}), a Job for one that ends ({@code
 * restart: never} runs once; {@code on-failure} is restarted in place until it exits 0, at most
 * {@code maxRetries} times).
 */
final class KubernetesManifests {
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private final Project project;
  private final String image;
  private final List<Group> groups;
  private final Notes notes = new Notes();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final EnvFileSets envs;

  /** A Secret for each env file a process takes variables from, by file; named for the file. */
  private final Map<Path, String> secrets = new LinkedHashMap<>();

  KubernetesManifests(Project project, String image) {
    this.project = project;
    this.image = image;
    this.groups = Group.of(project);
    this.envs = new EnvFileSets(project);
    String prefix = labelValue(project.name()).toLowerCase(Locale.ROOT);
    for (ProcessSpec p : project.processes()) {
      if (p.envFromFiles().isEmpty()) continue;
      for (Path f : EnvFileSets.distinct(p.envFile())) {
        if (secrets.containsKey(f)) continue;
        // .env -> shop-env, worker.env -> shop-worker-env
        String file = f.getFileName().toString().replaceAll("\\.env$", "").replaceAll("^\\.+", "");
        String word = dnsLabel(prefix + (file.isEmpty() ? "" : "-" + file));
        String name = dnsLabel(word.substring(0, Math.min(word.length(), 59)) + "-env");
        for (int n = 2; secrets.containsValue(name); n++) {
          name = dnsLabel(word.substring(0, Math.min(word.length(), 55)) + "-env-" + n);
        }
        secrets.put(f, name);
      }
    }
    Set<String> taken = new HashSet<>();
    for (Group g : groups) {
      String base = dnsLabel(g.name());
      String name = base;
      for (int n = 2; !taken.add(name); n++) {
        String suffix = "-" + n;
        name = base.substring(0, Math.min(base.length(), 63 - suffix.length())) + suffix;
      }
      names.put(g.name(), name);
    }
  }

  Export.Output export() {
    notes.project(
        "each process is its own Pod with its own network: addresses such as localhost of"
            + " another process need a Service, and none is written");
    Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
    for (Group g : groups) docs.put(g.name(), manifest(g));
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    for (Group g : groups) {
      ProcessSpec p = g.first();
      boolean fromFiles = !p.envFromFiles().isEmpty();
      String kind = p.restart().policy() == RestartPolicy.ALWAYS ? "Deployment" : "Job";
      List<String> about =
          List.of(
              "Process "
                  + g.name()
                  + ": a "
                  + kind
                  + (g.replicated() ? " of " + g.members().size() + " Pods" : "")
                  + ", image "
                  + image
                  + ", which must hold this project's programs and files at the same paths ("
                  + project.dir()
                  + ").",
              !fromFiles
                  ? "Variables are written with the values they had at export."
                  : "Variables written in pmj.yaml are written with the values they had at"
                      + " export.",
              !fromFiles
                  ? ""
                  : "Secrets: the variables of "
                      + EnvFileSets.shown(project, EnvFileSets.distinct(p.envFile()))
                      + " are not written here: they come from "
                      + secretsOf(p)
                      + " by envFrom (pmj.yaml's env wins over them, as in pmj).");
      about = about.stream().filter(line -> !line.isEmpty()).toList();
      String text =
          YamlText.document(
              Notes.header("kubernetes", project, about, notes.about(g.name())),
              docs.get(g.name()));
      files.put(names.get(g.name()) + ".yaml", text);
    }
    for (Path f : secrets.keySet()) files.put(secretFile(f), secret(f));
    Set<String> secretFiles = new HashSet<>();
    for (Path f : secrets.keySet()) secretFiles.add(secretFile(f));
    return new Export.Output(files, notes.all(), secretFiles);
  }

  private String secretFile(Path envFile) {
    return secrets.get(envFile) + ".secret.yaml";
  }

  /** "the Secret shop-env (shop-env.secret.yaml, which holds secrets)", for each of its files. */
  private String secretsOf(ProcessSpec p) {
    List<String> out = new ArrayList<>();
    for (Path f : EnvFileSets.distinct(p.envFile())) {
      out.add(secrets.get(f) + " (" + secretFile(f) + ")");
    }
    return (out.size() == 1 ? "the Secret " : "the Secrets ") + String.join(", ", out);
  }

  /**
   * The Secret of the variables of env files: written with their values so that {@code kubectl
   * apply -f DIR} runs the processes as they run here, in a file of its own, readable by its owner
   * only, that says what it holds.
   */
  private String secret(Path envFile) {
    String name = secrets.get(envFile);
    List<String> users = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Group g : groups) {
      ProcessSpec p = g.first();
      if (!p.envFromFiles().isEmpty() && p.envFile().contains(envFile)) {
        users.add(names.get(g.name()));
        used.addAll(p.envFromFiles());
      }
    }
    // what no process takes from env files (pmj.yaml sets it) stays out of the Secret
    EnvFileSets.Set set = envs.file(envFile, used);
    List<String> about =
        List.of(
            "Secrets: the variables of "
                + EnvFileSets.shown(project, set.files())
                + " with the values they had at export, as the Secret "
                + name
                + " that "
                + String.join(", ", users)
                + " read by envFrom.",
            "Readable by its owner only (mode 0600); keep it out of version control. Or leave it"
                + " out and create the Secret where you keep secrets: kubectl create secret generic "
                + name
                + " --from-literal=NAME=VALUE ...");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    String partOf = labelValue(project.name());
    if (!partOf.isEmpty()) metadata.put("labels", Map.of("app.kubernetes.io/part-of", partOf));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "v1");
    doc.put("kind", "Secret");
    doc.put("metadata", metadata);
    doc.put("type", "Opaque");
    // stringData: the values as they are; Kubernetes stores them base64-encoded under data
    doc.put("stringData", new LinkedHashMap<>(set.values()));
    List<String> header = new ArrayList<>();
    header.add("Generated by pmj export kubernetes from " + project.file() + ".");
    header.addAll(about);
    return YamlText.document(header, doc);
  }

  /**
   * A DNS-1123 label, as Kubernetes wants names: lowercase letters, digits and -, starting and
   * ending with a letter or digit, at most 63 characters.
   */
  static String dnsLabel(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    if (n.length() > 63) n = n.substring(0, 63);
    n = n.replaceAll("^-+|-+$", "");
    return n.isEmpty() ? "process" : n;
  }

  /** A label value: letters, digits, -, _ and ., starting and ending with a letter or digit. */
  static String labelValue(String value) {
    String v = value.replaceAll("[^A-Za-z0-9_.-]+", "-");
    if (v.length() > 63) v = v.substring(0, 63);
    return v.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
  }

  private Map<String, Object> manifest(Group g) {
    ProcessSpec p = g.first();
    String name = names.get(g.name());
    if (!name.equals(g.name())) {
      notes.add(
          g,
          "named "
              + name
              + " in Kubernetes (names are DNS-1123 labels: lowercase letters, digits and -)");
    }
    notes.pmjOnly(g, "output goes to the container's log (kubectl logs)");
    notes.replicas(g, "Kubernetes");
    if (p.watch().restartDependents()) {
      notes.add(g, "restartDependents: its dependents are not restarted after it restarts");
    }
    if (!p.dependsOn().isEmpty()) {
      List<String> deps = new ArrayList<>();
      g.dependsOn(groups).forEach((dep, c) -> deps.add(dep + ": " + c.word()));
      notes.add(
          g,
          "dependsOn "
              + String.join(", ", deps)
              + ": Kubernetes starts every Pod at once, so nothing waits (no initContainer is"
              + " written)");
    }

    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", name);
    String partOf = labelValue(project.name());
    if (!partOf.isEmpty()) labels.put("app.kubernetes.io/part-of", partOf);

    Map<String, Object> podSpec = new LinkedHashMap<>();
    if (p.restart().policy() != RestartPolicy.ALWAYS) {
      podSpec.put(
          "restartPolicy", p.restart().policy() == RestartPolicy.NEVER ? "Never" : "OnFailure");
    }
    podSpec.put("terminationGracePeriodSeconds", seconds(p.stop().timeout(), 0));
    podSpec.put("containers", List.of(container(g, name)));
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("metadata", Map.of("labels", labels));
    template.put("spec", podSpec);

    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("labels", labels);
    Map<String, Object> spec = new LinkedHashMap<>();
    if (p.restart().policy() == RestartPolicy.ALWAYS) {
      doc.put("apiVersion", "apps/v1");
      doc.put("kind", "Deployment");
      if (p.autostart()) {
        spec.put("replicas", g.members().size());
      } else {
        spec.put("replicas", 0);
        notes.add(
            g,
            "autostart: false: replicas 0 (kubectl scale deployment "
                + name
                + " --replicas="
                + g.members().size()
                + " starts it)");
      }
      spec.put("selector", Map.of("matchLabels", labels));
      if (p.restart().maxRetries() >= 0) {
        notes.add(
            g,
            "maxRetries "
                + p.restart().maxRetries()
                + ": a Deployment restarts its Pods without limit");
      }
    } else {
      doc.put("apiVersion", "batch/v1");
      doc.put("kind", "Job");
      if (g.replicated()) {
        spec.put("completions", g.members().size());
        spec.put("parallelism", g.members().size());
      }
      if (p.restart().policy() == RestartPolicy.NEVER) {
        spec.put("backoffLimit", 0);
      } else if (p.restart().maxRetries() >= 0) {
        spec.put("backoffLimit", p.restart().maxRetries());
      } else {
        notes.add(
            g, "maxRetries -1 (no limit): the Job's backoffLimit keeps Kubernetes' default (6)");
      }
      if (!p.autostart()) {
        notes.add(
            g, "autostart: false: a Job runs once it is applied; apply this file when it should");
      }
    }
    if (p.restart().policy() != RestartPolicy.NEVER) {
      notes.add(
          g,
          Notes.backoff(p) + ": the kubelet's own restart delay applies (10s, doubling up to 5m)");
    }
    spec.put("template", template);
    doc.put("metadata", metadata);
    doc.put("spec", spec);
    return doc;
  }

  private Map<String, Object> container(Group g, String name) {
    ProcessSpec p = g.first();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("image", image);
    List<String> command = new ArrayList<>();
    for (String w : p.command()) command.add(escape(w));
    c.put("command", command);
    c.put("workingDir", p.cwd().toString());
    EnvFileSets.Set set = envs.of(p.id());
    for (String variable : set == null ? List.<String>of() : set.templates()) {
      notes.add(
          g,
          variable
              + " in "
              + EnvFileSets.shown(project, set.files())
              + " is a template: the Secret has it as written (Kubernetes does not substitute it)");
    }
    if (!p.envFromFiles().isEmpty()) {
      // in the files' order: a later one wins, as a later env file does in pmj
      List<Object> from = new ArrayList<>();
      for (Path f : EnvFileSets.distinct(p.envFile()))
        from.add(Map.of("secretRef", Map.of("name", secrets.get(f))));
      c.put("envFrom", from);
    }
    List<Object> env = new ArrayList<>();
    g.sharedEnv()
        .forEach(
            (k, v) -> {
              if (p.envFromFiles().contains(k)) return;
              String value = escape(v);
              // a value that uses one of the Secret's ($(NAME) reads it there, as pmj's ${NAME})
              for (String from : EnvFileSets.embedded(set, v)) {
                value = value.replace(escape(set.values().get(from)), "$(" + from + ")");
              }
              Map<String, Object> e = new LinkedHashMap<>();
              e.put("name", k);
              e.put("value", value);
              env.add(e);
            });
    if (!env.isEmpty()) c.put("env", env);
    if (p.readiness() != null) {
      Map<String, Object> probe = probe(g, p.readiness());
      if (probe != null) c.put("readinessProbe", probe);
    }
    if (p.maxMemory() > 0) {
      String limit = MemoryUnits.KUBERNETES.format(p.maxMemory());
      c.put("resources", Map.of("limits", Map.of("memory", limit)));
      notes.add(
          g,
          "maxMemory "
              + Sizes.format(p.maxMemory())
              + ": resources.limits.memory "
              + limit
              + " is a hard limit (the container is killed at the limit), not a restart after"
              + " two samples above it");
    }
    if (!p.stopCommand().isEmpty()) {
      List<String> stop = new ArrayList<>();
      for (String w : p.stopCommand()) stop.add(escape(w));
      c.put("lifecycle", Map.of("preStop", Map.of("exec", Map.of("command", stop))));
    }
    if (p.daemon()) {
      notes.add(
          g,
          "daemon: true: a container ends when its main process exits; run the program in the"
              + " foreground (its no-daemon option) as the container's command");
    }
    if (!p.stop().signal().equals("TERM")) {
      notes.add(
          g,
          "stopSignal "
              + p.stop().signal()
              + ": Kubernetes stops a container with SIGTERM (or the image's STOPSIGNAL)");
    }
    return c;
  }

  /** The readinessProbe of a pmj probe, or null where Kubernetes has none (logLine). */
  private Map<String, Object> probe(Group g, Readiness r) {
    Map<String, Object> probe = new LinkedHashMap<>();
    List<String> caveats = new ArrayList<>();
    String local =
        "the kubelet probes the Pod's address, not localhost: the program must listen on it";
    if (r instanceof Readiness.Http h) {
      URI url = h.url();
      boolean https = "https".equalsIgnoreCase(url.getScheme());
      Map<String, Object> get = new LinkedHashMap<>();
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
      get.put("path", path);
      get.put("port", url.getPort() > 0 ? url.getPort() : https ? 443 : 80);
      if (url.getHost() != null && !LOCAL_HOSTS.contains(url.getHost())) {
        get.put("host", url.getHost());
      } else {
        caveats.add(local);
      }
      if (https) get.put("scheme", "HTTPS");
      probe.put("httpGet", get);
    } else if (r instanceof Readiness.Tcp t) {
      Map<String, Object> tcp = new LinkedHashMap<>();
      tcp.put("port", t.port());
      if (!LOCAL_HOSTS.contains(t.host())) tcp.put("host", t.host());
      else caveats.add(local);
      probe.put("tcpSocket", tcp);
    } else if (r instanceof Readiness.Exec e) {
      probe.put("exec", Map.of("command", e.command()));
    } else if (r instanceof Readiness.LogLine) {
      notes.add(
          g,
          Notes.readiness(r)
              + ": Kubernetes has no log-line probe; no readinessProbe, so the Pod is ready once"
              + " started");
      return null;
    } else {
      throw new IllegalArgumentException("unknown readiness " + r);
    }
    probe.put("periodSeconds", seconds(r.interval(), 1));
    probe.put("timeoutSeconds", seconds(r.timeout(), 1));
    if (r.interval().toMillis() % 1000 != 0 || r.timeout().toMillis() % 1000 != 0) {
      caveats.add(
          "whole seconds, rounded up (periodSeconds "
              + seconds(r.interval(), 1)
              + ", timeoutSeconds "
              + seconds(r.timeout(), 1)
              + ")");
    }
    if (!caveats.isEmpty()) notes.add(g, Notes.readiness(r) + ": " + String.join("; ", caveats));
    return probe;
  }

  /** Whole seconds, rounded up, at least {@code min}. */
  static int seconds(Duration d, int min) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(min, Math.min(Integer.MAX_VALUE, s));
  }

  /**
   * Kubernetes expands $(VAR) in a container's command and variable values, and reduces $$ to $:
   * every $ doubled reads back as itself.
   */
  static String escape(String s) {
    return s.replace("$", "$$");
  }
}
