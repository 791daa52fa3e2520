package dev.pmj.cli;

import dev.pmj.config.Durations;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import dev.pmj.config.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print the resolved configuration: absolute paths, final command lines, chosen interpreters, merged variables.")
final class ConfigCommand implements Callable<Integer> {
  static final String MASK = "********";

  private final Context context;

  @Option(names = "--show-env", description = "Show variable values instead of masking them.")
  boolean showEnv;

  @Option(
      names = "--sources",
      description =
          "After each value, the file and line it came from (pmj.yaml, the override file, each -f).")
  boolean sources;

  ConfigCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    LoadResult result = context.load();
    if (result == null || !result.ok()) return ExitCodes.USAGE;
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(1000);
    // A value shared by two processes is written out for each: anchors and aliases (&id001,
    // *id001) would make the resolved file harder to read than the one written.
    options.setDereferenceAliases(true);
    String yaml = new Yaml(options).dump(describe(result.project()));
    if (sources) {
      SourcesView view = new SourcesView(result.project());
      yaml = view.header(context.loader()::display) + view.annotate(yaml);
    }
    context.out.print(yaml);
    return ExitCodes.OK;
  }

  Map<String, Object> describe(Project project) {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("file", project.file().toString());
    top.put("version", project.version());
    top.put("name", project.name());
    top.put("envFile", paths(project.envFile()));
    top.put("devMode", project.devMode());
    if (project.logDir() != null) top.put("logDir", project.logDir().toString());
    Map<String, Object> processes = new LinkedHashMap<>();
    for (ProcessSpec p : project.processes()) processes.put(p.id(), describe(p));
    top.put("processes", processes);
    return top;
  }

  private Map<String, Object> describe(ProcessSpec p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", p.command());
    if (p.script() != null) {
      m.put("script", p.script().toString());
      m.put("interpreter", p.interpreter());
    }
    if (p.shell()) m.put("shell", true);
    m.put("cwd", p.cwd().toString());
    Map<String, String> env = new TreeMap<>();
    p.env().forEach((k, v) -> env.put(k, showEnv || k.startsWith("PMJ_") ? v : MASK));
    m.put("env", env);
    m.put("envFile", paths(p.envFile()));
    m.put("autostart", p.autostart());
    m.put("restart", p.restart().policy().word());
    m.put("maxRetries", p.restart().maxRetries());
    m.put("backoff", Durations.format(p.restart().backoff()));
    m.put("backoffMax", Durations.format(p.restart().backoffMax()));
    m.put("healthyAfter", Durations.format(p.restart().healthyAfter()));
    m.put("stopSignal", p.stop().signal());
    m.put("stopTimeout", Durations.format(p.stop().timeout()));
    if (!p.stopCommand().isEmpty()) m.put("stopCommand", p.stopCommand());
    if (p.daemon()) m.put("daemon", true);
    if (p.interactive()) m.put("interactive", true);
    Map<String, String> deps = new LinkedHashMap<>();
    p.dependsOn().forEach((k, v) -> deps.put(k, v.word()));
    m.put("dependsOn", deps);
    if (p.readiness() != null) m.put("readiness", describe(p.readiness()));
    if (!p.profiles().isEmpty()) m.put("profiles", p.profiles());
    m.put("devMode", p.watch().devMode());
    if (p.watch().devMode()) {
      m.put("watchPaths", paths(p.watch().paths()));
      m.put("watchIgnore", p.watch().ignore());
      m.put("debounce", Durations.format(p.watch().debounce()));
      m.put("restartDependents", p.watch().restartDependents());
    }
    if (p.color() != null) m.put("color", p.color().word());
    if (p.instances() > 1) {
      m.put("instances", p.instances());
      m.put("instance", p.instance());
    }
    if (p.logs().file() != null) {
      m.put("logFile", p.logs().file().toString());
      m.put("logMaxSize", Sizes.format(p.logs().maxSize()));
      m.put("logMaxFiles", p.logs().maxFiles());
    }
    m.put("logBuffer", p.logs().buffer());
    if (p.maxMemory() > 0) m.put("maxMemory", Sizes.format(p.maxMemory()));
    return m;
  }

  private static Map<String, Object> describe(Readiness r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r instanceof Readiness.Http h) m.put("http", h.url().toString());
    if (r instanceof Readiness.Tcp t) m.put("tcp", t.host() + ":" + t.port());
    if (r instanceof Readiness.Exec e) m.put("exec", e.command());
    if (r instanceof Readiness.LogLine l) m.put("logLine", l.pattern().pattern());
    m.put("interval", Durations.format(r.interval()));
    m.put("timeout", Durations.format(r.timeout()));
    return m;
  }

  private static List<String> paths(List<Path> paths) {
    List<String> out = new ArrayList<>();
    for (Path p : paths) out.add(p.toString());
    return out;
  }
}
