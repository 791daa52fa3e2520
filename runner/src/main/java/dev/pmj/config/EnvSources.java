package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import dev.pmj.config.Fields.Located;
import dev.pmj.config.Variables.Var;
import dev.pmj.config.Variables.Where;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where variables come from, as layers for {@link Variables}: an {@code env} mapping, env files
 * (each read once per load), pmj's built-ins and the environment pmj runs in.
 */
final class EnvSources {
  /** {@code $NAME} not written as {@code $$NAME}: what a shell would expand and pmj does not. */
  private static final Pattern UNBRACED = Pattern.compile("(?<!\\$)\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final String file;
  private final Path dir;
  private final Problems problems;
  private final Map<String, String> environment;
  private final Function<Path, String> display;
  private final Map<Path, List<Var>> envFiles = new HashMap<>();

  /**
   * @param file the name of the file being loaded, in messages
   * @param dir the project folder: env files are relative to it
   * @param display how another file's name is shown in messages
   */
  EnvSources(
      String file,
      Path dir,
      Problems problems,
      Map<String, String> environment,
      Function<Path, String> display) {
    this.file = file;
    this.dir = dir;
    this.problems = problems;
    this.environment = environment;
    this.display = display;
  }

  /** The environment pmj runs in: the last layer of every lookup. */
  List<Var> environment() {
    List<Var> os = new ArrayList<>();
    environment.forEach(
        (k, v) ->
            os.add(new Var(0, k, v, true, new Where(file, null, "environment variable " + k))));
    return os;
  }

  Var builtin(String key, String value) {
    return new Var(0, key, value, true, new Where(file, null, key));
  }

  /**
   * The variables of an {@code env} mapping at {@code path}, templates unresolved. An unbraced
   * {@code $NAME} in a value is kept as it is (no shell expands env values): a warning says so.
   */
  List<Var> env(ConfigNode node, String path) {
    List<Var> vars = new ArrayList<>();
    if (node instanceof MapNode map) {
      for (Entry e : map.entries().values()) {
        if (e.value() instanceof Scalar s
            && s.value() != null
            && e.key().matches("[A-Za-z_][A-Za-z0-9_]*")) {
          String at = path + "." + e.key();
          Matcher m = UNBRACED.matcher(s.asText());
          if (s.value() instanceof String && m.find()) {
            problems.warn(
                file,
                s.mark(),
                at,
                "$"
                    + m.group(1)
                    + " is kept as written: no shell expands env values; write ${"
                    + m.group(1)
                    + "} to use the variable");
          }
          vars.add(new Var(0, e.key(), s.asText(), false, new Where(file, s.mark(), at)));
        }
      }
    }
    return vars;
  }

  /**
   * Reads the env files named under {@code envFile} of {@code owner} (at {@code path}); the global
   * default is .env when it exists. The files read are added to {@code pathsOut}.
   */
  List<Var> envFiles(MapNode owner, String path, boolean global, List<Path> pathsOut) {
    Fields fields = new Fields(owner, path, null, file, problems);
    List<Located> listed = fields.stringList("envFile");
    List<Var> out = new ArrayList<>();
    if (owner.get("envFile") == null && global) {
      Path dotenv = dir.resolve(".env");
      if (Files.isRegularFile(dotenv)) {
        pathsOut.add(dotenv);
        out.addAll(envFile(dotenv));
      }
    }
    for (Located item : listed) {
      Path p = fields.path(dir, item.text(), item.mark(), item.path());
      if (p == null) continue;
      if (!Files.isRegularFile(p)) {
        problems.add(
            file,
            item.mark(),
            item.path(),
            (Files.exists(p) ? "not a file: " : ConfigProblem.NO_ENV_FILE) + p);
        continue;
      }
      pathsOut.add(p);
      out.addAll(envFile(p));
    }
    return out;
  }

  /** Whether an env file's line uses its own name ({@code PATH=./bin:${PATH}}). */
  private static boolean extendsItself(EnvFile.Line line) {
    if (line.literal()) return false;
    String v = line.value();
    String ref = "${" + line.key();
    for (int i = v.indexOf(ref); i >= 0; i = v.indexOf(ref, i + 1)) {
      int after = i + ref.length();
      if (after < v.length() && "}:-?".indexOf(v.charAt(after)) >= 0) return true;
    }
    return false;
  }

  /** The variables of one env file. */
  List<Var> envFile(Path p) {
    return envFiles.computeIfAbsent(
        p,
        path -> {
          String shown = display.apply(path);
          String text = Sources.read(path, shown, problems);
          List<Var> vars = new ArrayList<>();
          if (text == null) return vars;
          for (EnvFile.Line line : EnvFile.parse(text, shown, problems)) {
            String shell = environment.get(line.key());
            // The shell wins over an env file (PORT=7000 pmj up), as with dotenv and compose;
            // a value that extends the shell's (PATH=./bin:${PATH}) still applies, on top of it.
            vars.add(
                shell != null && !extendsItself(line)
                    ? new Var(
                        0,
                        line.key(),
                        shell,
                        true,
                        new Where(shown, null, "environment variable " + line.key()))
                    : new Var(
                        0,
                        line.key(),
                        line.value(),
                        line.literal(),
                        new Where(shown, line.mark(), line.key())));
          }
          return vars;
        });
  }
}
