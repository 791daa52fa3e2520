package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pmj import} and {@code pmj up -f} on other runners' files, as a user runs them: the file
 * written, the warnings printed, and the round trip: what {@code pmj config} shows of the import is
 * every command line, cwd and variable of the original.
 */
class ImportTest {
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  @TempDir Path dir;

  private Path copy(String fixture) throws IOException {
    Path from = Fixtures.root().resolve("testdata/import").resolve(fixture);
    Path to = dir.resolve(from.getFileName().toString());
    Files.copy(from, to);
    return to;
  }

  /** The processes {@code pmj config --show-env} shows for {@code file}. */
  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> config(String file, Map<String, String> env) {
    Cli.Run r = Cli.run(dir, env, "config", "--show-env", "-f", file);
    assertEquals(0, r.code(), r.err());
    String yaml = r.out().substring(r.out().indexOf('\n') + 1);
    Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(yaml);
    return (Map<String, Map<String, Object>>) doc.get("processes");
  }

  private Map<String, Map<String, Object>> config(String file) {
    return config(file, Map.of());
  }

  private static List<String> warnings(String err) {
    List<String> out = new ArrayList<>();
    for (String l : err.split("\n")) if (l.startsWith("pmj: warning: ")) out.add(l.substring(14));
    return out;
  }

  @Test
  void namesPmjCannotTakeAsIdsAreImportedAsOnesItCanAndSaidSo() throws Exception {
    String longName = "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll";
    Files.writeString(
        dir.resolve("Procfile"),
        "pmj: echo mine\nall: echo every\n"
            + longName
            + ": echo long\n"
            + longName
            + ": echo again\n");
    Cli.Run r = Cli.run(dir, "import", "Procfile");
    assertEquals(0, r.code(), r.err());
    String cut = "l".repeat(64);
    assertEquals(
        List.of(
            "Procfile:1: \"pmj\" is reserved in pmj; imported as pmj-process",
            "Procfile:2: \"all\" is reserved in pmj; imported as all-process",
            "Procfile:3: \"" + longName + "\" is over 64 characters; imported as " + cut,
            "Procfile:4: \""
                + longName
                + "\" is over 64 characters; imported as "
                + "l".repeat(62)
                + "-2"),
        warnings(r.err()));
    assertEquals(
        List.of("pmj-process", "all-process", cut, "l".repeat(62) + "-2"),
        List.copyOf(config("pmj.yaml").keySet()));
  }

  @Test
  void aProcfileBecomesShellCommandsWithForemansPortAndItsEnvFile() throws Exception {
    copy("procfile/Procfile");
    copy("procfile/.env");
    Cli.Run r = Cli.run(dir, "import", "Procfile");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "wrote pmj.yaml: 5 processes from Procfile (a Procfile); 3 warnings above, also as"
            + " comments in the file\n",
        r.out());
    assertEquals(
        List.of(
            "Procfile:9: not a NAME: COMMAND line, skipped as foreman skips it: this line has no colon",
            "Procfile:10: \"web\" is used twice; imported as web-2",
            "Procfile:11: not a NAME: COMMAND line, skipped as foreman skips it: bad name!: echo never"
                + " either"),
        warnings(r.err()));
    String yaml = Files.readString(dir.resolve("pmj.yaml"));
    assertTrue(
        yaml.contains("# line 9 skipped (not NAME: COMMAND): this line has no colon\n"), yaml);
    assertTrue(yaml.contains("    # was \"web\" in the source (is used twice)\n"), yaml);

    Map<String, Map<String, Object>> ps = config("pmj.yaml");
    assertEquals(List.of("web", "worker", "release", "clock", "web-2"), List.copyOf(ps.keySet()));
    // Split on the first colon, the rest kept byte for byte, run by the shell.
    assertEquals(
        List.of(
            "/bin/sh",
            "-c",
            "python3 -c \"import os; print('web on', os.environ['PORT'])\" && sleep 30"),
        ps.get("web").get("command"));
    assertEquals(
        List.of("/bin/sh", "-c", "echo \"worker ${GREETING:-hi}: $((1+1))\" 2>&1; sleep 30"),
        ps.get("worker").get("command"));
    assertEquals(
        List.of("/bin/sh", "-c", "sh -c 'echo tick: $(date +%s)'; sleep 30"),
        ps.get("clock").get("command"));
    assertEquals(
        List.of("/bin/sh", "-c", "echo second web; sleep 30"), ps.get("web-2").get("command"));
    // PORT as foreman gives it (5000, then 100 more each); the .env beside the file is read.
    List<String> ports = new ArrayList<>();
    for (Map<String, Object> p : ps.values()) ports.add(env(p).get("PORT"));
    assertEquals(List.of("5000", "5100", "5200", "5300", "5400"), ports);
    assertEquals("hello", env(ps.get("worker")).get("GREETING"));
    assertEquals("worker.1", env(ps.get("worker")).get("PS"));
    assertEquals("never", ps.get("release").get("restart"));
    assertEquals(dir.toString(), ps.get("web").get("cwd"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(Map<String, Object> process) {
    return (Map<String, String>) process.get("env");
  }

  @Test
  void pmjUpRunsAProcfileAsItIsAndSaysWhatItSkipped() throws Exception {
    copy("procfile/Procfile");
    copy("procfile/.env");
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "-f", "Procfile")) {
      pmj.awaitLine("^web +\\| web on 5000$", Duration.ofSeconds(30));
      pmj.awaitLine("^worker +\\| worker hello: 2$", Duration.ofSeconds(30));
      pmj.awaitLine("^clock +\\| tick: [0-9]+$", Duration.ofSeconds(30));
      assertTrue(
          pmj.stderr()
              .contains("pmj: warning: Procfile:10: \"web\" is used twice; imported as web-2\n"),
          pmj.stderr());
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(Duration.ofSeconds(20)), pmj.stderr());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void aPm2JsonFileThatIsJavaScriptKeepsEveryCommandLineCwdAndVariable() throws Exception {
    copy("pm2/ecosystem.config.json");
    Files.createDirectories(dir.resolve("services/api"));
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(dir.resolve("bin/worker.py"), "print('w')\n");
    Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho tool\n");
    Cli.Run r = Cli.run(dir, "import", "ecosystem.config.json");
    assertEquals(0, r.code(), r.err());
    List<String> expected = new ArrayList<>();
    expected.add(
        "ecosystem.config.json: deploy: pmj runs processes here; it does not deploy them (pmj"
            + " export turns them into systemd units, Compose or Kubernetes)");
    expected.add(
        "ecosystem.config.json: apps[0] (api).instances: max means one per CPU to PM2; imported as "
            + Math.min(CPUS, 64)
            + ", for the "
            + CPUS
            + " CPUs here");
    expected.add(
        "ecosystem.config.json: env_production (api): used with pmj import --env production");
    expected.add(
        "ecosystem.config.json: ignore_watch (api): regular expressions: pmj's watchIgnore takes"
            + " .gitignore patterns; write these as patterns");
    expected.add(
        "ecosystem.config.json: error_file (api): pmj writes stdout and stderr to one file, logFile");
    expected.add(
        "ecosystem.config.json: wait_ready (api): pmj has no process.send('ready'); a readiness"
            + " check (http, tcp, exec, logLine) says when a process is ready");
    expected.add(
        "ecosystem.config.json: listen_timeout (api): it belongs with wait_ready; a readiness"
            + " check has its own interval and timeout");
    expected.add(
        "ecosystem.config.json: exec_mode (api): "
            + (CPUS > 1
                ? "pmj runs each instance as its own process, as fork mode does: they cannot share"
                    + " one port (give each its own, from PMJ_INSTANCE)"
                : "one instance: pmj runs it as fork mode does"));
    if (CPUS > 1) {
      expected.add(
          "ecosystem.config.json: instances (api, worker): PM2 numbers instances in"
              + " NODE_APP_INSTANCE from 0; pmj in PMJ_INSTANCE from 1");
    }
    expected.add(
        "ecosystem.config.json: apps[1] (worker).instances: 0 means one per CPU to PM2; imported as "
            + Math.min(CPUS, 64)
            + ", for the "
            + CPUS
            + " CPUs here");
    assertEquals(expected, warnings(r.err()));
    String yaml = Files.readString(dir.resolve("pmj.yaml"));
    assertTrue(yaml.contains("    # wait_ready: true  (pmj has no process.send('ready');"), yaml);
    assertTrue(yaml.contains("# not imported: deploy: [production]"), yaml);

    Map<String, Map<String, Object>> ps = config("pmj.yaml");
    String api = CPUS > 1 ? "api.1" : "api";
    Map<String, Object> a = ps.get(api);
    assertEquals(
        List.of(
            "node", "--max-old-space-size=256", "server.js", "--port", "8080", "--name", "my api"),
        a.get("command"));
    assertEquals(dir.resolve("services/api").toString(), a.get("cwd"));
    assertEquals("development", env(a).get("NODE_ENV"));
    assertEquals("8080", env(a).get("PORT"));
    assertEquals("{\"a\":1}", env(a).get("FLAGS"));
    assertEquals("always", a.get("restart"));
    assertEquals(10, a.get("maxRetries"));
    assertEquals("250ms", a.get("backoff"));
    assertEquals("250ms", a.get("backoffMax"));
    assertEquals("3s", a.get("stopTimeout"));
    assertEquals("INT", a.get("stopSignal"));
    assertEquals("5s", a.get("healthyAfter"));
    assertEquals("300MB", a.get("maxMemory"));
    assertEquals(true, a.get("devMode"));
    assertEquals(
        List.of(
            dir.resolve("services/api/src").toString(),
            dir.resolve("services/api/config").toString()),
        a.get("watchPaths"));
    assertEquals(List.of("node_modules", "*.log"), a.get("watchIgnore"));
    // PM2 resolves out_file against the app's cwd.
    assertEquals(dir.resolve("services/api/logs/api.out.log").toString(), a.get("logFile"));

    // No name: named after the script; autorestart: false; instances 0 is one per CPU.
    Map<String, Object> w = ps.get(CPUS > 1 ? "worker.1" : "worker");
    assertEquals("never", w.get("restart"));
    assertEquals(dir.resolve("bin/worker.py").toString(), w.get("script"));
    Map<String, Object> t = ps.get("tool");
    assertEquals(List.of(dir.resolve("run.sh").toString()), t.get("command"));
    assertEquals(dir.resolve("logs/tool.log").toString(), t.get("logFile"));
    assertEquals("100ms", t.get("backoff"));
    assertEquals("15s", t.get("backoffMax"));
    // PM2's own defaults, where pmj's differ: 16 unstable restarts, stable after 1s.
    assertEquals(16, t.get("maxRetries"));
    assertEquals("1s", t.get("healthyAfter"));

    // --env production: env_production over env, as pm2 start --env production.
    Cli.Run prod =
        Cli.run(dir, "import", "ecosystem.config.json", "--env", "production", "-o", "prod.yaml");
    assertEquals(0, prod.code(), prod.err());
    assertEquals("production", env(config("prod.yaml").get(api)).get("NODE_ENV"));
    assertEquals("8080", env(config("prod.yaml").get(api)).get("PORT"));
  }

  @Test
  void pm2YamlWithAnAppsMappingOneObjectAndATopLevelArray() throws Exception {
    copy("pm2/ecosystem.config.yaml");
    copy("pm2/app.json");
    copy("pm2/apps.json");
    assertEquals(0, Cli.run(dir, "import", "ecosystem.config.yaml", "-o", "a.yaml").code());
    Map<String, Map<String, Object>> a = config("a.yaml");
    assertEquals(List.of("web", "jobs"), List.copyOf(a.keySet()));
    assertEquals("3000", env(a.get("web")).get("PORT"));
    assertEquals(true, a.get("jobs").get("devMode"));
    assertEquals(List.of(dir.toString()), a.get("jobs").get("watchPaths"));

    Cli.Run one = Cli.run(dir, "import", "app.json", "-o", "b.yaml");
    assertEquals(0, one.code(), one.err());
    assertTrue(one.out().contains("1 process from app.json (a PM2 ecosystem file)"), one.out());
    assertEquals("one object", env(config("b.yaml").get("single")).get("MODE"));

    Cli.Run array = Cli.run(dir, "import", "apps.json", "-o", "c.yaml");
    assertEquals(0, array.code(), array.err());
    Map<String, Map<String, Object>> c = config("c.yaml");
    assertEquals(List.of("first", "second"), List.copyOf(c.keySet()));
    assertEquals(
        List.of("node", dir.resolve("b.js").toString(), "--x", "1"),
        c.get("second").get("command"));
  }

  @Test
  void aJavaScriptEcosystemFileIsReadWithoutRunningIt() throws Exception {
    copy("pm2/ecosystem.config.js");
    Files.createDirectories(dir.resolve("web"));
    Cli.Run r = Cli.run(dir, "import", "ecosystem.config.js");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of(
            "ecosystem.config.js: apps[0] (web).instances: process.env.WEB_INSTANCES || 2 is read"
                + " when PM2 loads the file; pmj takes 2 here",
            "ecosystem.config.js: instances (web): PM2 numbers instances in NODE_APP_INSTANCE from"
                + " 0; pmj in PMJ_INSTANCE from 1"),
        warnings(r.err()));
    String yaml = Files.readString(dir.resolve("pmj.yaml"));
    assertTrue(yaml.contains("      PORT: \"${PORT:-3000}\"\n"), yaml);
    assertTrue(yaml.contains("      API_URL: \"${API_URL-http://localhost:8080}\"\n"), yaml);
    Map<String, Object> web = config("pmj.yaml", Map.of("API_URL", "http://api")).get("web.1");
    assertEquals(dir.resolve("web").toString(), web.get("cwd"));
    assertEquals("http://api", env(web).get("API_URL"));
    assertEquals(dir.toString(), env(web).get("HOME_DIR"));
    assertEquals(List.of("node", dir.resolve("web/index.js").toString()), web.get("command"));
  }

  @Test
  void anEnvironmentLookupInAnotherEnvironmentsSettingsIsCommentedAsItsTemplate() throws Exception {
    Files.writeString(
        dir.resolve("ecosystem.config.js"),
        """
        module.exports = {
          apps: [{
            name: "web",
            script: "server.js",
            env_production: { PORT: process.env.PORT || 8080, HOST: process.env.HOST ?? "x}y" }
          }]
        };
        """);
    Cli.Run r = Cli.run(dir, "import", "ecosystem.config.js");
    assertEquals(0, r.code(), r.err());
    String yaml = Files.readString(dir.resolve("pmj.yaml"));
    assertTrue(
        yaml.contains(
            "    # env_production: {PORT: \"${PORT:-8080}\", HOST: \"process.env.HOST ?? 'x}y'\"}"
                + "  (used with pmj import --env production)\n"),
        yaml);
  }

  @Test
  void javaScriptThatMustRunIsPointedAtAndEvalRunsItWithNode() throws Exception {
    copy("pm2/computed.config.js");
    Cli.Run r = Cli.run(dir, "import", "computed.config.js");
    assertEquals(2, r.code());
    assertEquals(
        "computed.config.js:6:18: a function call (require('os')) cannot be read without running the file;"
            + " pmj import --eval runs it with node\n",
        r.err());
    assertFalse(Files.exists(dir.resolve("pmj.yaml")));
    // pmj up -f says the same, at the same place.
    Cli.Run up = Cli.run(dir, "up", "-f", "computed.config.js");
    assertEquals(2, up.code());
    assertTrue(
        up.err().startsWith("computed.config.js:6:18: a function call (require('os'))"), up.err());

    Tools.require("node");
    Cli.Run eval = Cli.run(dir, "import", "--eval", "computed.config.js");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(
        eval.err()
            .contains(
                "pmj: Read by running computed.config.js with node (pmj import --eval), as PM2"
                    + " does.\n"),
        eval.err());
    String yaml = Files.readString(dir.resolve("pmj.yaml"));
    assertTrue(yaml.contains("# Read by running computed.config.js with node"), yaml);
    assertEquals(CPUS > 1 ? (long) CPUS : null, instances(yaml));
  }

  private static Long instances(String yaml) {
    for (String l : yaml.split("\n")) {
      if (l.startsWith("    instances: ")) return Long.parseLong(l.substring(15).trim());
    }
    return null;
  }

  @Test
  void processComposeKeepsConditionsProbesRestartsAndSaysWhatItCannotCarry() throws Exception {
    copy("process-compose/process-compose.yaml");
    Files.createDirectories(dir.resolve("api"));
    Cli.Run r = Cli.run(dir, "import", "process-compose.yaml");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of(
            "process-compose.yaml: readiness_probe.initial_delay_seconds (api): pmj probes until the"
                + " check passes, every interval",
            "process-compose.yaml: depends_on: process_completed (report): waits for any exit code;"
                + " pmj's completed waits for exit code 0",
            "process-compose.yaml: availability.restart: exit_on_failure (report): pmj up"
                + " --exit-on-failure stops everything when a process fails",
            "process-compose.yaml: processes: \"old job\" is not a pmj id (letters, digits, _, . and"
                + " -); imported as old-job",
            "process-compose.yaml: namespace (old-job): pmj has no namespaces",
            "process-compose.yaml: liveness_probe (old-job): pmj checks readiness only; a process"
                + " that hangs is not restarted"),
        warnings(r.err()));
    Map<String, Map<String, Object>> ps = config("pmj.yaml", Map.of("HOME", "/home/someone"));
    assertEquals(
        List.of("db", "migrate", "api.1", "api.2", "logger", "report", "old-job", "once"),
        List.copyOf(ps.keySet()));
    assertEquals(List.of("bash", "-c", "echo hello migrate"), ps.get("migrate").get("command"));
    assertEquals(Map.of("db", "ready"), ps.get("migrate").get("dependsOn"));
    Map<String, Object> api = ps.get("api.2");
    assertEquals(List.of("bash", "-c", "echo api on $PORT; sleep 30"), api.get("command"));
    assertEquals(dir.resolve("api").toString(), api.get("cwd"));
    assertEquals("8080", env(api).get("PORT"));
    assertEquals("http://localhost:${PORT}/x", env(api).get("URL"));
    assertEquals("/home/someone/api", env(api).get("WHERE"));
    assertEquals("1", env(api).get("GLOBAL"));
    assertEquals(Map.of("migrate", "completed", "db", "started"), api.get("dependsOn"));
    assertEquals(
        Map.of("http", "http://127.0.0.1:8080/health", "interval", "500ms", "timeout", "2s"),
        api.get("readiness"));
    assertEquals("on-failure", api.get("restart"));
    // A fixed delay, as process-compose waits backoff_seconds before every restart.
    assertEquals("3s", api.get("backoff"));
    assertEquals("3s", api.get("backoffMax"));
    assertEquals(4, api.get("maxRetries"));
    assertEquals("INT", api.get("stopSignal"));
    assertEquals("7s", api.get("stopTimeout"));
    assertEquals(List.of("bash", "-c", "pg_ctl stop -D ./data"), api.get("stopCommand"));
    assertEquals(true, ps.get("old-job").get("daemon"));
    assertEquals(null, ps.get("api.2").get("daemon"));
    assertEquals(true, ps.get("once").get("interactive"));
    assertEquals(null, ps.get("api.2").get("interactive"));
    @SuppressWarnings("unchecked")
    Map<String, Object> probe = (Map<String, Object>) ps.get("db").get("readiness");
    assertEquals(List.of("bash", "-c", "test -d ."), probe.get("exec"));
    @SuppressWarnings("unchecked")
    Map<String, Object> logLine = (Map<String, Object>) ps.get("logger").get("readiness");
    assertTrue(
        java.util.regex.Pattern.compile((String) logLine.get("logLine"))
            .matcher("ready (to log)")
            .find());
    assertEquals(dir.resolve("logs/logger.log").toString(), ps.get("logger").get("logFile"));
    assertEquals("always", ps.get("logger").get("restart"));
    assertEquals("1s", ps.get("logger").get("backoffMax"));
    assertEquals(
        Map.of("logger", "ready", "migrate", "completed"), ps.get("report").get("dependsOn"));
    assertEquals(false, ps.get("old-job").get("autostart"));
    assertEquals("never", ps.get("once").get("restart"));
    assertEquals("never", ps.get("db").get("restart"));
  }

  @Test
  void processmanKeysArePmjsAndItsDefaultsAreWrittenOut() throws Exception {
    copy("processman/pb_processes.json");
    Files.createDirectories(dir.resolve("agents"));
    Cli.Run r = Cli.run(dir, "import", "pb_processes.json");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of("pb_processes.json[2]: no id; skipped, as processman skips it"), warnings(r.err()));
    Map<String, Map<String, Object>> ps =
        config("pmj.yaml", Map.of("OPENAI_KEY", "k-123", "HOST", "example.org"));
    Map<String, Object> agent = ps.get("agent");
    assertEquals(dir.resolve("agents").toString(), agent.get("cwd"));
    assertEquals("k-123", env(agent).get("API_KEY"));
    assertEquals("http://example.org/v1", env(agent).get("URL"));
    assertEquals("a${b", env(agent).get("PLAIN"));
    assertEquals(3, agent.get("maxRetries"));
    assertEquals("1500ms", agent.get("backoff"));
    assertEquals(true, agent.get("devMode"));
    assertEquals(List.of(dir.resolve("agents/src").toString()), agent.get("watchPaths"));
    Map<String, Object> worker = ps.get("worker");
    assertEquals(List.of("python3", "-m", "http.server"), worker.get("command"));
    assertEquals(0, worker.get("maxRetries"));
  }

  @Test
  void anImportWrittenElsewhereKeepsItsPathsRight() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("deploy/app"));
    Files.writeString(sub.resolve("Procfile"), "web: echo $PORT\n");
    Files.writeString(sub.resolve(".env"), "PORT=7000\n");
    Cli.Run r = Cli.run(dir, "import", "deploy/app/Procfile", "-o", "pmj.yaml");
    assertEquals(0, r.code(), r.err());
    Map<String, Object> web = config("pmj.yaml").get("web");
    assertEquals(sub.toString(), web.get("cwd"));
    assertEquals("7000", env(web).get("PORT"));
  }

  @Test
  void theOriginalsQuirksAreKept() throws Exception {
    Files.writeString(dir.resolve(".env"), "junk line pm2 never reads\n");
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(
        dir.resolve("ecosystem.config.js"),
        """
        module.exports = {
          apps: [
            { name: 'npm-app', script: 'npm', args: 'run start' },
            { name: 'sh', script: 'source x && run', args: 'dropped' },
            { name: 'none', script: './bin/server', interpreter: 'none', interpreter_args: '--foo' },
            { name: 'brace', script: 'a.js', env: { E: process.env.E || '{}' } },
          ],
        };
        """);
    Cli.Run r = Cli.run(dir, "import", "ecosystem.config.js", "-o", "a.yaml");
    assertEquals(0, r.code(), r.err());
    Map<String, Map<String, Object>> ps = config("a.yaml");
    // A program PM2 finds on the PATH; a line with spaces through bash -c, without its args.
    assertEquals(List.of("npm", "run", "start"), ps.get("npm-app").get("command"));
    assertEquals(List.of("bash", "-c", "source x && run"), ps.get("sh").get("command"));
    assertEquals(List.of(dir.resolve("bin/server").toString()), ps.get("none").get("command"));
    assertEquals("{}", env(ps.get("brace")).get("E"));
    assertTrue(
        r.err()
            .contains(
                "pmj: warning: ecosystem.config.js: interpreter_args (none): PM2 passes no"
                    + " interpreter arguments with interpreter: none\n"),
        r.err());

    Files.writeString(
        dir.resolve("dup.json"),
        "{\"apps\": [{\"name\": \"d\", \"script\": \"d.js\", \"env\": {\"PORT\": \"1\", \"PORT\": \"2\"}}]}");
    Cli.Run dup = Cli.run(dir, "import", "dup.json", "-o", "b.yaml");
    assertEquals(0, dup.code(), dup.err());
    assertEquals("2", env(config("b.yaml").get("d")).get("PORT"));
    assertTrue(
        dup.err()
            .contains(
                "pmj: warning: dup.json:1:64: apps[0].env.PORT: given twice; the last one counts, as"
                    + " when PM2 reads it\n"),
        dup.err());

    Files.writeString(
        dir.resolve("process-compose.yaml"),
        """
        shell:
          shell_command: sh
          shell_argument: -c
        processes:
          a:
            command: echo $$HOME
            working_dir: ${BASE:-/tmp}
            environment:
              - "WHERE=${HOME:-/x}/y"
              - "my-var=1"
            availability:
              restart: always
              max_restarts: 0
            shutdown:
              timeout_seconds: 0
          b:
            entrypoint: [echo, "$HOME", "${HOME}"]
          a:
            command: echo twice
        """);
    Cli.Run pc = Cli.run(dir, "import", "process-compose.yaml", "-o", "c.yaml");
    assertEquals(0, pc.code(), pc.err());
    // process-compose reads the .env: pmj up will too, and says now what it will find there.
    assertTrue(
        pc.err().contains("pmj: before pmj up: .env:1:1: expected KEY=VALUE, such as PORT=8000\n"),
        pc.err());
    Files.writeString(dir.resolve(".env"), "FROM_ENV_FILE=1\n");
    Map<String, Map<String, Object>> c = config("c.yaml", Map.of("HOME", "/home/u"));
    assertEquals(List.of("sh", "-c", "echo $HOME"), c.get("a").get("command"));
    assertEquals("/tmp", c.get("a").get("cwd"));
    assertEquals("/home/u/y", env(c.get("a")).get("WHERE"));
    assertFalse(env(c.get("a")).containsKey("my-var"));
    assertEquals(-1, c.get("a").get("maxRetries"));
    assertEquals(List.of("echo", "/home/u", "/home/u"), c.get("b").get("command"));
    assertEquals(
        List.of(
            "process-compose.yaml: processes.a.environment: my-var is not a variable name pmj"
                + " passes on (letters, digits, _); skipped",
            "process-compose.yaml: shutdown.timeout_seconds (a): 0 never kills there; pmj sends"
                + " KILL after stopTimeout (5s)",
            "process-compose.yaml:18:3: processes.a: given twice, which process-compose refuses; pmj"
                + " took the first"),
        warnings(pc.err()));
  }

  @Test
  void badInputIsRefusedWithOneLineAndNothingWritten() throws Exception {
    Cli.Run missing = Cli.run(dir, "import", "Procfile");
    assertEquals(2, missing.code());
    assertEquals("pmj: Procfile: no such file\n", missing.err());

    Files.createDirectories(dir.resolve("folder"));
    assertEquals(
        "pmj: folder: is a folder; give the file to import\n",
        Cli.run(dir, "import", "folder").err());

    Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    image: nginx\n");
    Cli.Run docker = Cli.run(dir, "import", "compose.yaml");
    assertEquals(2, docker.code());
    assertEquals(
        "compose.yaml: a Docker Compose file (services:); pmj reads process-compose's files"
            + " (processes:), whose default name is also compose.yaml\n",
        docker.err());

    Files.writeString(dir.resolve("Procfile"), "web: echo hi\n");
    Cli.Run env = Cli.run(dir, "import", "Procfile", "--env", "production");
    assertEquals(2, env.code());
    assertEquals(
        "Procfile: --env production selects a PM2 app's env_production; this is a Procfile\n",
        env.err());
    Cli.Run eval = Cli.run(dir, "import", "Procfile", "--eval");
    assertEquals(2, eval.code());
    assertEquals(
        "Procfile: --eval runs a PM2 ecosystem file written in JavaScript (.js, .cjs, .mjs, .json)"
            + " with node; this is a Procfile\n",
        eval.err());

    Files.writeString(dir.resolve("Procfile.empty"), "web echo no colon\n# only this\n");
    Cli.Run none = Cli.run(dir, "import", "Procfile.empty");
    assertEquals(2, none.code());
    assertEquals(
        "Procfile.empty: a Procfile with no process: no line has the form NAME: COMMAND (foreman"
            + " finds no process either)\n",
        none.err());

    Files.writeString(dir.resolve("dev.yaml"), "version: 1\nprocesses:\n  a:\n    command: x\n");
    Cli.Run own = Cli.run(dir, "import", "dev.yaml");
    assertEquals(2, own.code());
    assertEquals("pmj: dev.yaml is pmj's own file already (pmj validate checks it)\n", own.err());

    Cli.Run same = Cli.run(dir, "import", "Procfile", "-o", "Procfile");
    assertEquals(2, same.code());
    assertEquals("pmj: -o Procfile: that is the file being imported; choose another\n", same.err());
    assertFalse(Files.exists(dir.resolve("pmj.yaml")));

    Files.writeString(dir.resolve("pmj.yaml"), "# mine\n");
    Cli.Run exists = Cli.run(dir, "import", "Procfile");
    assertEquals(2, exists.code());
    assertEquals(
        "pmj: pmj.yaml exists; pass --force to replace it, or -o to write elsewhere\n",
        exists.err());
    assertEquals("# mine\n", Files.readString(dir.resolve("pmj.yaml")));
    assertEquals(0, Cli.run(dir, "import", "Procfile", "--force").code());
    assertTrue(Files.readString(dir.resolve("pmj.yaml")).contains("command: echo hi"));

    Cli.Run stdout = Cli.run(dir, "import", "Procfile", "-o", "-");
    assertEquals(0, stdout.code(), stdout.err());
    assertTrue(stdout.out().startsWith("# Imported from Procfile"), stdout.out());
    assertEquals("pmj: 1 process from Procfile (a Procfile)\n", stdout.err());
  }
}
