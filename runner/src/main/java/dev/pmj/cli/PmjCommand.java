package dev.pmj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "pmj",
    mixinStandardHelpOptions = true,
    versionProvider = PmjCommand.Version.class,
    description = "Runs the processes of a project from one file (pmj.yaml).")
final class PmjCommand implements Runnable {
  /** The subcommands, in the order help lists them. */
  static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("up", UpCommand.class);
    COMMANDS.put("validate", ValidateCommand.class);
    COMMANDS.put("config", ConfigCommand.class);
    COMMANDS.put("init", InitCommand.class);
    COMMANDS.put("ps", PsCommand.class);
    COMMANDS.put("start", ProcessCommand.Start.class);
    COMMANDS.put("stop", ProcessCommand.Stop.class);
    COMMANDS.put("restart", ProcessCommand.Restart.class);
    COMMANDS.put("logs", LogsCommand.class);
    COMMANDS.put("down", DownCommand.class);
    COMMANDS.put("reload", ReloadCommand.class);
    COMMANDS.put("scale", ScaleCommand.class);
    COMMANDS.put("run", RunCommand.class);
    COMMANDS.put("exec", ExecCommand.class);
    COMMANDS.put("rm", RmCommand.class);
    COMMANDS.put("attach", AttachCommand.class);
    COMMANDS.put("connect", ConnectCommand.class);
    COMMANDS.put("open", OpenCommand.class);
    COMMANDS.put("service", ServiceCommand.class);
    COMMANDS.put("import", ImportCommand.class);
    COMMANDS.put("export", ExportCommand.class);
    COMMANDS.put("wrapper", WrapperCommand.class);
    COMMANDS.put("completion", CompletionCommand.class);
    COMMANDS.put("__warmup", WarmupCommand.class);
    COMMANDS.put("__ids", IdsCommand.class);
  }

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  PmjCommand(Context context) {
    this.common = new CommonOptions(context);
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command (up, ps, logs, restart, stop, start, down, validate, config, init, completion)");
  }

  /** pmj's version, from the jar. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = PmjCommand.class.getResourceAsStream("/version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // unknown
    }
    return p.getProperty("version", "unknown");
  }

  /**
   * The JVM pmj runs on and the start-up cache the launcher gave it: "Java 25.0.3
   * (/usr/lib/jvm/temurin-25-jdk-amd64), AOT cache".
   */
  static String runtime() {
    String cache =
        switch (System.getProperty("pmj.cache", "")) {
          case "aot" -> "AOT cache";
          case "appcds" -> "AppCDS archive";
          case "none" -> "no start-up cache (it could not be built)";
          case "off" -> "no start-up cache (pmj.cmd keeps none)";
          default -> "no start-up cache (not started by the pmj launcher)";
        };
    return "Java "
        + System.getProperty("java.version")
        + " ("
        + System.getProperty("java.home")
        + "), "
        + cache;
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pmj " + version(), runtime()};
    }
  }
}
