package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecVersion;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variables of env files in exports: kept out of what is written inline (they hold secrets), given
 * to each engine from its own place for them (a systemd EnvironmentFile, Compose's env_file, a
 * Kubernetes Secret), while pmj.yaml's env stays inline; each file says which file holds them.
 */
class ExportEnvFilesTest {
  /** The secrets: every value of the env files that no pmj.yaml env overrides. */
  private static final List<String> SECRETS =
      List.of("s3cret-pw", "k-1 \"quoted\" 'single' \\ back`tick", "line one\nline two", "tok-9");

  private static final String ENV =
      """
      # the team's database
      DB_PASSWORD=s3cret-pw
      export API_KEY="k-1 \\"quoted\\" 'single' \\\\ back`tick"   # after the value
      MULTI="line one
      line two"
      LOG_LEVEL=debug
      """;

  static final String YAML =
      """
      version: 1
      name: shop
      env:
        LOG_LEVEL: info
      processes:
        api:
          command: /bin/sleep 1000
          env:
            PORT: "8000"
        worker:
          command: /bin/sleep 1000
          envFile: [.env, worker.env]
          instances: 2
        migrate:
          command: /bin/true
          restart: never
      """;

  @TempDir Path tmp;
  private Path dir;
  private Project project;

  @BeforeEach
  void files() throws Exception {
    dir = Files.createDirectories(tmp.resolve("shop"));
    Files.writeString(dir.resolve(".env"), ENV);
    Files.writeString(dir.resolve("worker.env"), "QUEUE_TOKEN=tok-9\n");
    // the shell pmj runs in sets DB_PASSWORD too: pmj runs with it, the export does not carry it
    project = Fixtures.project(dir, Map.of("DB_PASSWORD", "from-the-shell"), YAML);
    assertEquals("from-the-shell", project.process("api").env().get("DB_PASSWORD"));
  }

  /** The files of {@code out} that hold {@code value}. */
  private static Set<String> holding(Export.Output out, String value) {
    Set<String> files = new TreeSet<>();
    out.files()
        .forEach(
            (name, text) -> {
              if (text.contains(value)) files.add(name);
            });
    return files;
  }

  @Test
  void whatTheProcessesTakeFromEnvFiles() {
    assertEquals(Set.of("API_KEY", "DB_PASSWORD", "MULTI"), project.process("api").envFromFiles());
    assertEquals(
        Set.of("API_KEY", "DB_PASSWORD", "MULTI", "QUEUE_TOKEN"),
        project.process("worker.2").envFromFiles());
    // LOG_LEVEL is the file's global env, PORT the process's, PMJ_* pmj's own
    assertFalse(project.process("migrate").envFromFiles().contains("LOG_LEVEL"));
  }

  @Test
  void systemdReadsThemFromAFileOfItsOwnBesideTheUnits() throws Exception {
    Path units = tmp.resolve("units");
    Export.Output out = Export.systemd(project, units);
    for (String secret : SECRETS) {
      String first = secret.lines().findFirst().orElseThrow();
      assertTrue(holding(out, first).stream().allMatch(f -> f.endsWith(".env")), first);
    }
    assertEquals(Set.of("pmj-shop.env", "pmj-shop-worker.env"), out.secrets());
    assertEquals(Set.of("pmj-shop.env", "pmj-shop-worker.env"), holding(out, "s3cret-pw"));
    assertEquals(Set.of("pmj-shop-worker.env"), holding(out, "tok-9"));
    assertEquals(Set.of(), holding(out, "from-the-shell"));

    String api = out.files().get("pmj-shop-api.service");
    assertTrue(api.contains("\nEnvironmentFile=" + units.resolve("pmj-shop.env") + "\n"), api);
    assertTrue(api.contains("\nEnvironment=LOG_LEVEL=info\n"), api);
    assertTrue(api.contains("\nEnvironment=PORT=8000\n"), api);
    assertFalse(api.contains("DB_PASSWORD"), api);
    assertTrue(
        api.contains(
            "# Secrets: the variables of .env are not written here: EnvironmentFile= reads them"
                + " from "
                + units.resolve("pmj-shop.env")
                + " (mode 0600)"),
        api);
    String worker = out.files().get("pmj-shop-worker.2.service");
    assertTrue(worker.contains("EnvironmentFile=" + units.resolve("pmj-shop-worker.env")), worker);
    // migrate takes what api takes: one file for both
    assertTrue(
        out.files().get("pmj-shop-migrate.service").contains("pmj-shop.env"),
        out.files().get("pmj-shop-migrate.service"));

    // in systemd's syntax, without the names pmj.yaml sets (the file would win over Environment=)
    String env = out.files().get("pmj-shop.env");
    List<String> assignments = env.lines().filter(l -> !l.startsWith("#")).toList();
    assertEquals(
        List.of(
            "API_KEY=\"k-1 \\\"quoted\\\" 'single' \\\\ back\\`tick\"",
            "DB_PASSWORD=\"s3cret-pw\"",
            "MULTI=\"line one",
            "line two\""),
        assignments);
    assertTrue(env.startsWith("# Generated by pmj export systemd from "), env);
    assertTrue(env.contains("# Secrets: the variables of .env with the values"), env);
    assertTrue(
        out.files().get("pmj-shop.target").contains("pmj-shop.env, pmj-shop-worker.env"),
        out.files().get("pmj-shop.target"));

    // and systemd accepts the units that read them
    String analyze = Tools.require("systemd-analyze");
    Files.createDirectories(units);
    List<String> command = new ArrayList<>(List.of(analyze, "verify"));
    for (Map.Entry<String, String> f : out.files().entrySet()) {
      Path file = units.resolve(f.getKey());
      Files.writeString(file, f.getValue());
      if (!f.getKey().endsWith(".env")) command.add(file.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
    assertEquals(0, p.exitValue(), said);
    for (String line : said.lines().toList()) assertFalse(line.contains("pmj-shop"), said);
  }

  @Test
  void systemdReadsTheVariablesAsPmjDoes() throws Exception {
    // systemd's own reader of such files (the one EnvironmentFile= uses) runs in the generator of
    // environment.d, which prints what it read; no service manager is needed for it
    Path generator =
        Path.of("/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator");
    Assumptions.assumeTrue(Files.isExecutable(generator), "no " + generator);
    Export.Output out = Export.systemd(project, tmp.resolve("units"));
    Path config = Files.createDirectories(tmp.resolve("config/environment.d"));
    Files.writeString(config.resolve("pmj.conf"), out.files().get("pmj-shop.env"));
    ProcessBuilder pb = new ProcessBuilder(generator.toString()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    pb.environment().put("HOME", tmp.toString());
    Process p = pb.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), said);
    // printed as systemd quotes a value: the values are those pmj read from .env
    List<String> lines = said.lines().toList();
    assertTrue(lines.contains("DB_PASSWORD=s3cret-pw"), said);
    assertTrue(lines.contains("API_KEY=\"k-1 \\\"quoted\\\" 'single' \\\\ back\\`tick\""), said);
    assertTrue(lines.contains("MULTI=\"line one\\nline two\""), said);
    assertFalse(said.contains("LOG_LEVEL"), said);
  }

  @Test
  void composeNamesTheProjectsOwnEnvFiles() throws Exception {
    Export.Output out = Export.compose(project, "compose.yaml");
    for (String secret : SECRETS) {
      assertEquals(Set.of(), holding(out, secret.lines().findFirst().orElseThrow()), secret);
    }
    assertEquals(Set.of(), holding(out, "from-the-shell"));
    assertEquals(Set.of(), out.secrets());
    String text = out.files().get("compose.yaml");
    JsonNode services = ExportFixture.tree(text).get("services");
    assertEquals(
        List.of(dir.resolve(".env").toString()), values(services.at("/api/env_file")), text);
    assertEquals(
        List.of(dir.resolve(".env").toString(), dir.resolve("worker.env").toString()),
        values(services.at("/worker/env_file")));
    assertEquals("info", services.at("/api/environment/LOG_LEVEL").asText());
    assertEquals("8000", services.at("/api/environment/PORT").asText());
    assertTrue(services.at("/api/environment/DB_PASSWORD").isMissingNode(), text);
    assertTrue(
        text.contains(
            "# Secrets: the variables of env files are not written here: env_file reads .env,"
                + " worker.env (the project's own, at their paths)"),
        text);

    Path file = ExportFixture.schemaFile("compose-spec.json");
    assertEquals(
        List.of(),
        ExportFixture.problems(
            ExportFixture.schema(SpecVersion.VersionFlag.V7, file, ExportFixture.json(file)),
            ExportFixture.tree(text)));
  }

  private static List<String> values(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void kubernetesTakesThemFromASecretPerEnvFile() throws Exception {
    Export.Output out = Export.kubernetes(project, "shop:1");
    assertEquals(Set.of("shop-env.secret.yaml", "shop-worker-env.secret.yaml"), out.secrets());
    for (String secret : SECRETS) {
      String first = secret.lines().findFirst().orElseThrow();
      assertTrue(out.secrets().containsAll(holding(out, first)), first);
    }
    assertEquals(Set.of("shop-env.secret.yaml"), holding(out, "s3cret-pw"));
    assertEquals(Set.of("shop-worker-env.secret.yaml"), holding(out, "tok-9"));
    assertEquals(Set.of(), holding(out, "from-the-shell"));

    JsonNode secret = ExportFixture.tree(out.files().get("shop-env.secret.yaml"));
    assertEquals("Secret", secret.get("kind").asText());
    assertEquals("shop-env", secret.at("/metadata/name").asText());
    assertEquals("s3cret-pw", secret.at("/stringData/DB_PASSWORD").asText());
    assertEquals(SECRETS.get(1), secret.at("/stringData/API_KEY").asText());
    assertEquals("line one\nline two", secret.at("/stringData/MULTI").asText());
    String header = out.files().get("shop-env.secret.yaml");
    assertTrue(header.contains("# Readable by its owner only (mode 0600)"), header);

    JsonNode worker = ExportFixture.tree(out.files().get("worker.yaml"));
    JsonNode c = worker.at("/spec/template/spec/containers/0");
    assertEquals("shop-env", c.at("/envFrom/0/secretRef/name").asText());
    assertEquals("shop-worker-env", c.at("/envFrom/1/secretRef/name").asText());
    List<String> env = new ArrayList<>();
    c.get("env").forEach(e -> env.add(e.get("name").asText() + "=" + e.get("value").asText()));
    assertTrue(env.contains("LOG_LEVEL=info"), "" + env);
    assertFalse(env.stream().anyMatch(e -> e.startsWith("DB_PASSWORD=")), "" + env);
    assertTrue(
        out.files()
            .get("api.yaml")
            .contains(
                "# Secrets: the variables of .env are not written here: they come from the Secret shop-env (shop-env.secret.yaml) by envFrom"),
        out.files().get("api.yaml"));

    // Kubernetes' schema of its types, strict (no unknown key), takes the Secret and envFrom
    ObjectNode definitions = (ObjectNode) ExportFixture.json(ExportKubernetesTest.DEFINITIONS);
    definitions.get("definitions").forEach(ExportKubernetesTest::strict);
    Map<String, String> types =
        Map.of(
            "Secret", "io.k8s.api.core.v1.Secret",
            "Deployment", "io.k8s.api.apps.v1.Deployment",
            "Job", "io.k8s.api.batch.v1.Job");
    for (Map.Entry<String, String> f : out.files().entrySet()) {
      JsonNode doc = ExportFixture.tree(f.getValue());
      String type = types.get(doc.get("kind").asText());
      assertEquals(
          List.of(),
          ExportFixture.problems(ExportKubernetesTest.schemaOf(definitions, type), doc),
          f.getKey());
    }
  }

  @Test
  void aValueOfPmjYamlThatUsesASecretReadsItWhereTheEngineCan() throws Exception {
    Project p =
        Fixtures.project(
            dir,
            Map.of(),
            """
            version: 1
            name: shop
            processes:
              api:
                command: /bin/sleep 1000
                env:
                  DATABASE_URL: postgres://app:${DB_PASSWORD}@localhost/shop
            """);
    // Kubernetes expands $(NAME) from the Secret's variables: the value stays out
    Export.Output k8s = Export.kubernetes(p, "shop:1");
    String api = k8s.files().get("api.yaml");
    assertTrue(api.contains("postgres://app:$(DB_PASSWORD)@localhost/shop"), api);
    assertEquals(Set.of("shop-env.secret.yaml"), holding(k8s, "s3cret-pw"));
    // systemd and Compose have no such thing: the value is written, and said so
    for (Export.Output o :
        List.of(Export.systemd(p, tmp.resolve("u")), Export.compose(p, "c.yml"))) {
      assertTrue(
          o.notCarried().stream()
              .anyMatch(
                  l ->
                      l.startsWith(
                          "api: env DATABASE_URL holds the value of DB_PASSWORD from an env file")),
          "" + o.notCarried());
    }
  }

  @Test
  void pmjYamlAndBuiltInsWinOverEnvFilesAndTheShellDoesNot() throws Exception {
    Files.writeString(
        dir.resolve(".env"),
        "A=file\nB=file\nC=file\nPMJ_INSTANCE=9\nHASH=ab$cd\nQUOTED='ab$cd'\n");
    Project p =
        Fixtures.project(
            dir,
            Map.of("C", "shell"),
            """
            version: 1
            env:
              A: global
            processes:
              web:
                command: /bin/true
                env:
                  B: process
            """);
    ProcessSpec web = p.process("web");
    assertEquals(Set.of("C", "HASH", "QUOTED"), web.envFromFiles());
    assertEquals("shell", web.env().get("C"));
    assertEquals("1", web.env().get("PMJ_INSTANCE"));
    // C is the file's in every export, and only there; Compose is told of $cd, which it substitutes
    Export.Output compose = Export.compose(p, "c.yml");
    assertEquals(
        List.of(
            "web: HASH in an env file has a $NAME that Compose's env_file substitutes and pmj keeps"
                + " as written; single-quote the value to keep it in both"),
        compose.notCarried().stream().filter(l -> l.contains("$NAME")).toList());
    Export.Output systemd = Export.systemd(p, tmp.resolve("u"));
    assertTrue(systemd.files().get("pmj-shop.env").contains("\nC=\"file\"\n"));
    assertEquals(Set.of(), holding(systemd, "shell"));
    Export.Output k8s = Export.kubernetes(p, "x");
    assertEquals(
        "file",
        ExportFixture.tree(k8s.files().get("shop-env.secret.yaml")).at("/stringData/C").asText());
    assertEquals(Set.of(), holding(k8s, "shell"));
  }

  @Test
  void anEnvFileGoneSinceTheLoadIsSaidInOneLine() throws Exception {
    Files.delete(dir.resolve("worker.env"));
    for (Runnable export :
        List.<Runnable>of(
            () -> Export.systemd(project, tmp.resolve("u")),
            () -> Export.compose(project, "c.yml"),
            () -> Export.kubernetes(project, "x"))) {
      java.io.UncheckedIOException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.io.UncheckedIOException.class, export::run);
      assertEquals("cannot read " + dir.resolve("worker.env") + ": no such file", e.getMessage());
    }
  }

  @Test
  void withoutEnvFilesNothingChanges() throws Exception {
    Files.delete(dir.resolve(".env"));
    Files.delete(dir.resolve("worker.env"));
    Project p =
        Fixtures.project(
            dir, Map.of(), "version: 1\nname: shop\nprocesses:\n  a:\n    command: /bin/true\n");
    for (Export.Output o :
        List.of(
            Export.systemd(p, tmp.resolve("u")),
            Export.compose(p, "c.yml"),
            Export.kubernetes(p, "x"))) {
      assertEquals(Set.of(), o.secrets());
      o.files().values().forEach(t -> assertFalse(t.contains("Secrets"), t));
      o.files()
          .values()
          .forEach(
              t ->
                  assertTrue(
                      t.contains("# Variables are written with the values they had at export."),
                      t));
    }
  }
}
