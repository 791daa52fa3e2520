package dev.pmj.convert;

import dev.pmj.config.ConfigProblem;
import dev.pmj.config.Documents;
import dev.pmj.config.Mark;
import dev.pmj.config.Translator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Another runner's file as a pmj.yaml: which runner's it is (by its name, then by its content), and
 * the commented pmj.yaml it becomes.
 */
public final class Import {
  /** The runners whose files pmj reads, and pmj's own. */
  public enum Kind {
    PMJ("pmj's own file"),
    PROCFILE("a Procfile"),
    PM2("a PM2 ecosystem file"),
    PROCESS_COMPOSE("a process-compose file"),
    PROCESSMAN("a processman file");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /**
   * @param envName PM2's {@code --env NAME}, or null
   * @param eval run a JavaScript file with node instead of reading it
   * @param cpus what "one instance per CPU" stands for
   */
  public record Options(String envName, boolean eval, int cpus) {
    static Options defaults() {
      return new Options(null, false, Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * A file read: its kind, the pmj.yaml (null when it could not be read), its process ids, what was
   * not carried over (warnings), why it could not be read (problems), and what pmj did to read it
   * (notices, such as running node for --eval).
   */
  public record Result(
      Kind kind,
      String yaml,
      List<String> ids,
      List<String> warnings,
      List<ConfigProblem> problems,
      List<String> notices) {
    public boolean ok() {
      return yaml != null && problems.isEmpty();
    }
  }

  private static final Set<String> PC_TOP =
      Set.of(
          "log_location",
          "log_level",
          "log_length",
          "log_configuration",
          "is_strict",
          "shell",
          "vars",
          "env_cmds",
          "is_tui_disabled",
          "extends",
          "ordered_shutdown",
          "disable_env_expansion",
          "environment");
  private static final Set<String> PC_PROCESS =
      Set.of(
          "working_dir",
          "depends_on",
          "availability",
          "readiness_probe",
          "liveness_probe",
          "is_daemon",
          "log_location",
          "shutdown",
          "replicas",
          "entrypoint",
          "ready_log_line",
          "disabled",
          "namespace",
          "environment",
          "description",
          "is_tty",
          "is_interactive",
          "is_elevated",
          "launch_timeout_seconds");

  private static final Set<String> PMJ_TOP =
      Set.of("name", "envFile", "env", "devMode", "logDir", "logMaxSize", "logMaxFiles");
  private static final Set<String> PMJ_PROCESS =
      Set.of(
          "script",
          "args",
          "cwd",
          "env",
          "envFile",
          "interpreter",
          "autostart",
          "restart",
          "maxRetries",
          "backoff",
          "backoffMax",
          "healthyAfter",
          "stopSignal",
          "stopTimeout",
          "dependsOn",
          "readiness",
          "devMode",
          "watchPaths",
          "watchIgnore",
          "debounce",
          "restartDependents",
          "color",
          "instances",
          "logFile",
          "logBuffer",
          "logMaxSize",
          "logMaxFiles",
          "maxMemory",
          "shell");

  private final Options options;

  public Import(Options options) {
    this.options = options;
  }

  /**
   * A {@link Translator} for the loader: other runners' files are read as the pmj.yaml they become.
   */
  public static Translator translator() {
    Import imports = new Import(Options.defaults());
    return (file, text) -> {
      if (kindByName(file.getFileName().toString()) == Kind.PMJ) return null;
      Result r = imports.read(file, text);
      if (r.kind() == Kind.PMJ) return null;
      return new Translator.Translation(
          r.kind().description(), r.yaml() == null ? "" : r.yaml(), r.warnings(), r.problems());
    };
  }

  /** Reads {@code text}, the content of {@code file}, for a pmj.yaml beside it. */
  Result read(Path file, String text) {
    return read(file, text, null);
  }

  /**
   * Reads {@code text}, the content of {@code file}, for a pmj.yaml in {@code outputDir} (null:
   * beside the file): relative paths are rewritten to hold from there.
   */
  public Result read(Path file, String text, Path outputDir) {
    String name = file.getFileName().toString();
    List<ConfigProblem> problems = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    Kind kind = kindByName(name);
    boolean javascript = isJavaScript(name) || startsLikeJavaScript(text);
    Object doc = null;
    boolean strictJson = true;
    if (kind != Kind.PROCFILE) {
      if (javascript
          || name.toLowerCase(Locale.ROOT).endsWith(".json")
          || (kind == null && looksLikeJson(text))) {
        boolean evaluable = javascript || name.toLowerCase(Locale.ROOT).endsWith(".json");
        if (options.eval() && evaluable) {
          doc = eval(file, name, problems, notices);
        } else {
          Documents.Read json = Documents.json(text, name);
          if (json.problems().isEmpty() && json.duplicates().isEmpty()) {
            doc = json.value();
          } else {
            // JavaScript (as PM2 reads .json) keeps the last of a key given twice.
            for (ConfigProblem p : json.duplicates()) {
              duplicates.add(where(p) + ": given twice; the last one counts, as when PM2 reads it");
            }
            strictJson = false;
            try {
              doc = JsLiteral.read(text);
            } catch (JsLiteral.Unsupported e) {
              problems.add(
                  new ConfigProblem(
                      name,
                      new Mark(e.line(), e.column()),
                      "",
                      e.getMessage().replaceFirst("^[0-9]+:[0-9]+: ", "")));
            }
          }
        }
        if (kind == null) kind = kindByContent(doc, text);
      } else {
        Documents.Read yaml = Documents.yaml(text, name);
        if (kind == null) kind = kindByContent(yaml.value(), text);
        if (kind == Kind.PMJ)
          return new Result(Kind.PMJ, text, List.of(), List.of(), List.of(), List.of());
        if (kind != Kind.PROCFILE) {
          problems.addAll(yaml.problems());
          doc = yaml.value();
          for (ConfigProblem p : yaml.duplicates()) {
            duplicates.add(
                where(p)
                    + ": given twice, which "
                    + (kind == Kind.PM2 ? "PM2" : "process-compose")
                    + " refuses; pmj took the first");
          }
        }
      }
    }
    if (kind == null) kind = Kind.PMJ;
    if (kind == Kind.PMJ)
      return new Result(Kind.PMJ, text, List.of(), List.of(), problems, notices);
    if (!problems.isEmpty()) return new Result(kind, null, List.of(), List.of(), problems, notices);
    if (options.eval() && notices.isEmpty()) {
      problems.add(
          new ConfigProblem(
              name,
              null,
              "",
              "--eval runs a PM2 ecosystem file written in JavaScript (.js, .cjs, .mjs, .json) with node; this is "
                  + kind.description()));
      return new Result(kind, null, List.of(), List.of(), problems, notices);
    }
    if (options.envName() != null && kind != Kind.PM2) {
      problems.add(
          new ConfigProblem(
              name,
              null,
              "",
              "--env "
                  + options.envName()
                  + " selects a PM2 app's env_"
                  + options.envName()
                  + "; this is "
                  + kind.description()));
      return new Result(kind, null, List.of(), List.of(), problems, notices);
    }
    Draft d;
    switch (kind) {
      case PROCFILE -> d = Procfiles.read(file, text);
      case PM2 ->
          d =
              Pm2.read(
                  name, doc, options.envName(), options.cpus(), file.toAbsolutePath().getParent());
      case PROCESS_COMPOSE -> {
        Map<String, Object> top = Values.map(doc);
        if (top.containsKey("services") && !top.containsKey("processes")) {
          problems.add(
              new ConfigProblem(
                  name,
                  null,
                  "",
                  "a Docker Compose file (services:); pmj reads process-compose's files (processes:), whose default name is also compose.yaml"));
          return new Result(kind, null, List.of(), List.of(), problems, notices);
        }
        d = ProcessCompose.read(file, top);
      }
      case PROCESSMAN ->
          d = Processman.read(name, doc, strictJson, file.toAbsolutePath().getParent());
      default -> throw new IllegalStateException(kind.name());
    }
    if (!notices.isEmpty()) d.header.add(notices.get(0));
    for (String w : duplicates) {
      d.warn(w);
      d.topNotes.add(w);
    }
    if (outputDir != null) {
      Path source = file.toAbsolutePath().normalize().getParent();
      Path out = outputDir.toAbsolutePath().normalize();
      if (!source.equals(out)) {
        String base =
            source.getRoot() != null && source.getRoot().equals(out.getRoot())
                ? out.relativize(source).toString().replace('\\', '/')
                : source.toString();
        d.rebase(base);
      }
    }
    if (d.processes.isEmpty()) {
      problems.add(
          new ConfigProblem(
              name,
              null,
              "",
              kind.description()
                  + " with no process"
                  + (d.hasWarnings()
                      ? ": "
                          + d.warnings().get(d.warnings().size() - 1).substring(name.length() + 2)
                      : "")));
      return new Result(kind, null, List.of(), d.warnings(), problems, notices);
    }
    return new Result(
        kind,
        d.yaml(),
        d.processes.stream().map(x -> x.id).toList(),
        d.warnings(),
        problems,
        notices);
  }

  /** Where a problem is, as FILE:LINE:COL: PATH. */
  private static String where(ConfigProblem p) {
    String at =
        p.mark() == null ? p.file() : p.file() + ":" + p.mark().line() + ":" + p.mark().column();
    return p.path().isEmpty() ? at : at + ": " + p.path();
  }

  /** The kind a file's name says, or null when its name says nothing. */
  static Kind kindByName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.equals("pmj.yaml") || n.equals("pmj.yml") || n.equals("pmj.json")) return Kind.PMJ;
    if (n.equals("procfile") || n.startsWith("procfile.")) return Kind.PROCFILE;
    if (n.equals("pb_processes.json")) return Kind.PROCESSMAN;
    if (n.matches("(process-compose[^/]*|compose)\\.ya?ml")) return Kind.PROCESS_COMPOSE;
    if (isJavaScript(n)
        || n.contains("ecosystem")
        || n.contains("pm2")
        || n.matches("process\\.(json|ya?ml)")) {
      return Kind.PM2;
    }
    return null;
  }

  private static boolean isJavaScript(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".js") || n.endsWith(".cjs") || n.endsWith(".mjs");
  }

  private static boolean startsLikeJavaScript(String text) {
    String t = stripComments(text);
    return t.startsWith("module.exports")
        || t.startsWith("export default")
        || t.startsWith("const ")
        || t.startsWith("'use strict'")
        || t.startsWith("\"use strict\"");
  }

  private static boolean looksLikeJson(String text) {
    String t = stripComments(text);
    return t.startsWith("{") || t.startsWith("[");
  }

  /** The text after leading blank lines and comments (# // and block comments). */
  private static String stripComments(String text) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("//", i) || c == '#') {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length() : nl + 1;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
      } else {
        break;
      }
    }
    return text.substring(i);
  }

  /** The kind a file's content says: null when it says nothing (pmj then reads it as its own). */
  static Kind kindByContent(Object doc, String text) {
    if (doc instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> m = Values.map(o);
        if (m.containsKey("id") && !m.containsKey("name")) return Kind.PROCESSMAN;
        if (m.containsKey("script") || m.containsKey("name") || m.containsKey("cmd"))
          return Kind.PM2;
      }
      return null;
    }
    if (!(doc instanceof Map<?, ?> raw)) return null;
    Map<String, Object> top = Values.map(raw);
    if (top.containsKey("apps") || top.containsKey("pm2")) return Kind.PM2;
    if (top.containsKey("processes")) {
      // pmj's own file, even a broken one, is pmj's: its mistakes are reported as pmj reports them.
      if ("1".equals(Values.string(top.get("version")))) return Kind.PMJ;
      for (String k : top.keySet()) if (PMJ_TOP.contains(k)) return Kind.PMJ;
      for (Object p : Values.map(top.get("processes")).values()) {
        for (String k : Values.map(p).keySet()) if (PMJ_PROCESS.contains(k)) return Kind.PMJ;
      }
      if (top.get("version") instanceof String) return Kind.PROCESS_COMPOSE;
      for (String k : top.keySet()) if (PC_TOP.contains(k)) return Kind.PROCESS_COMPOSE;
      for (Object p : Values.map(top.get("processes")).values()) {
        for (String k : Values.map(p).keySet())
          if (PC_PROCESS.contains(k)) return Kind.PROCESS_COMPOSE;
      }
      return null;
    }
    if (top.containsKey("script") && !top.containsKey("version")) return Kind.PM2;
    if (top.containsKey("services")) return Kind.PROCESS_COMPOSE; // refused there, with the reason
    if (!top.isEmpty() && Procfiles.isProcfile(top, text)) return Kind.PROCFILE;
    return null;
  }

  private static final String EVAL =
      "const f=process.argv[1];(async()=>{let c;"
          + "if(/\\.json$/i.test(f)){c=require('vm').runInNewContext('('+require('fs').readFileSync(f,'utf8')+')',{},{timeout:5000});}"
          + "else if(/\\.mjs$/i.test(f)){c=(await import(require('url').pathToFileURL(f))).default;}"
          + "else{c=require(f);}"
          + "process.stdout.write(JSON.stringify(c===undefined?null:c));})()"
          + ".catch(e=>{process.stderr.write(String(e&&e.message||e).split('\\n')[0]);process.exit(1);});";

  /** Runs the file with node and reads what it exports, as PM2 does. */
  private Object eval(Path file, String name, List<ConfigProblem> problems, List<String> notices) {
    Path abs = file.toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("node", "-e", EVAL, abs.toString());
    pb.directory(abs.getParent().toFile());
    pb.redirectInput(
        ProcessBuilder.Redirect.from(
            new java.io.File(
                System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")));
    try {
      Process p = pb.start();
      byte[][] out = new byte[2][];
      Thread err = new Thread(() -> out[1] = readAll(p.getErrorStream()), "pmj-eval-stderr");
      err.start();
      out[0] = readAll(p.getInputStream());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        problems.add(new ConfigProblem(name, null, "", "--eval: node did not finish within 30 s"));
        return null;
      }
      err.join();
      String stderr = new String(out[1], StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        problems.add(
            new ConfigProblem(
                name,
                null,
                "",
                "--eval: node failed: "
                    + (stderr.isEmpty() ? "exit code " + p.exitValue() : stderr)));
        return null;
      }
      notices.add("Read by running " + name + " with node (pmj import --eval), as PM2 does.");
      Documents.Read json =
          Documents.json(
              new String(out[0], StandardCharsets.UTF_8), name + " (as node printed it)");
      problems.addAll(json.problems());
      return json.value();
    } catch (IOException e) {
      problems.add(
          new ConfigProblem(name, null, "", "--eval needs node on the PATH: " + e.getMessage()));
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add(new ConfigProblem(name, null, "", "--eval: interrupted"));
      return null;
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
