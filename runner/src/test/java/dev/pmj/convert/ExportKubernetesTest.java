package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SpecVersion;
import dev.pmj.config.Project;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmj export kubernetes: a manifest per process that Kubernetes' own schema of its types accepts in
 * the strict flavour (no unknown key), with the processes' keys mapped to Kubernetes'.
 */
class ExportKubernetesTest {
  private static final String IMAGE = "registry.example/shop:1";
  static final Path DEFINITIONS = ExportFixture.schemaFile("kubernetes-v1.17.0-definitions.json");
  private static JsonSchema deployment;
  private static JsonSchema job;

  @TempDir Path dir;
  private Export.Output out;

  @BeforeAll
  static void schemas() throws Exception {
    ObjectNode definitions = (ObjectNode) ExportFixture.json(DEFINITIONS);
    definitions.get("definitions").forEach(ExportKubernetesTest::strict);
    deployment = schemaOf(definitions, "io.k8s.api.apps.v1.Deployment");
    job = schemaOf(definitions, "io.k8s.api.batch.v1.Job");
  }

  /**
   * The strict flavour, made as openapi2jsonschema --strict makes it: an object schema that lists
   * its properties allows no other (kubectl's validation rejects unknown fields too).
   */
  static void strict(JsonNode schema) {
    if (!(schema instanceof ObjectNode s)) return;
    if (s.get("properties") instanceof ObjectNode props) {
      if (!s.has("additionalProperties")) s.put("additionalProperties", false);
      props.forEach(ExportKubernetesTest::strict);
    }
    strict(s.get("items"));
    strict(s.get("additionalProperties"));
    for (String list : List.of("allOf", "anyOf", "oneOf")) {
      if (s.get(list) instanceof ArrayNode a) a.forEach(ExportKubernetesTest::strict);
    }
  }

  static JsonSchema schemaOf(ObjectNode definitions, String type) {
    ObjectNode root = definitions.deepCopy();
    root.put("$ref", "#/definitions/" + type);
    return ExportFixture.schema(SpecVersion.VersionFlag.V4, DEFINITIONS, root);
  }

  @BeforeEach
  void export() throws Exception {
    out = Export.kubernetes(ExportFixture.load(dir, ExportFixture.SHOP), IMAGE);
  }

  private JsonNode doc(String file) {
    String text = out.files().get(file);
    assertTrue(text != null, file + " not in " + out.files().keySet());
    return ExportFixture.tree(text);
  }

  private static JsonNode container(JsonNode doc) {
    return doc.at("/spec/template/spec/containers/0");
  }

  private static List<String> validate(JsonNode doc) {
    String kind = doc.path("kind").asText();
    JsonSchema schema =
        switch (kind) {
          case "Deployment" -> deployment;
          case "Job" -> job;
          default -> throw new AssertionError("unexpected kind " + kind);
        };
    assertEquals(kind.equals("Job") ? "batch/v1" : "apps/v1", doc.path("apiVersion").asText());
    return ExportFixture.problems(schema, doc);
  }

  @Test
  void everyManifestIsValidForKubernetesSchemaInItsStrictFlavour() {
    for (Map.Entry<String, String> f : out.files().entrySet()) {
      assertEquals(List.of(), validate(ExportFixture.tree(f.getValue())), f.getKey());
    }
    // and the schema does reject what kubectl would: an unknown key, a wrong type
    ObjectNode typo = doc("api.yaml").deepCopy();
    ((ObjectNode) container(typo)).put("workingdir", "/");
    assertFalse(validate(typo).isEmpty());
    ObjectNode type = doc("api.yaml").deepCopy();
    ((ObjectNode) type.get("spec")).put("replicas", "three");
    assertFalse(validate(type).isEmpty());
  }

  @Test
  void longRunningProcessesAreDeploymentsAndTheOthersJobs() {
    assertEquals(
        List.of("db.yaml", "api.yaml", "worker.yaml", "migrate.yaml", "tail.yaml"),
        List.copyOf(out.files().keySet()));
    JsonNode api = doc("api.yaml");
    assertEquals("Deployment", api.get("kind").asText());
    assertEquals(1, api.at("/spec/replicas").asInt());
    assertEquals("api", api.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
    assertEquals("shop", api.at("/metadata/labels/app.kubernetes.io~1part-of").asText());
    assertEquals(
        "shop", api.at("/spec/template/metadata/labels/app.kubernetes.io~1part-of").asText());

    JsonNode migrate = doc("migrate.yaml");
    assertEquals("Job", migrate.get("kind").asText());
    assertEquals("Never", migrate.at("/spec/template/spec/restartPolicy").asText());
    assertEquals(0, migrate.at("/spec/backoffLimit").asInt());

    // on-failure: a Job restarted in place, as many times as maxRetries allows; instances run
    // side by side
    JsonNode worker = doc("worker.yaml");
    assertEquals("Job", worker.get("kind").asText());
    assertEquals("OnFailure", worker.at("/spec/template/spec/restartPolicy").asText());
    assertEquals(2, worker.at("/spec/backoffLimit").asInt());
    assertEquals(3, worker.at("/spec/completions").asInt());
    assertEquals(3, worker.at("/spec/parallelism").asInt());
    assertTrue(
        container(worker).at("/env").findValues("name").stream()
            .noneMatch(n -> n.asText().equals("PMJ_INSTANCE")));

    // autostart: false: nothing runs until someone scales it up
    assertEquals(0, doc("tail.yaml").at("/spec/replicas").asInt());
  }

  @Test
  void theContainerRunsTheCommandInItsFolderWithItsVariables() {
    JsonNode c = container(doc("api.yaml"));
    assertEquals("api", c.get("name").asText());
    assertEquals(IMAGE, c.get("image").asText());
    assertEquals(List.of("python3", "-m", "http.server", "8000"), strings(c.get("command")));
    assertEquals(dir.toString(), c.get("workingDir").asText());
    List<String> env = new ArrayList<>();
    c.get("env").forEach(e -> env.add(e.get("name").asText() + "=" + e.get("value").asText()));
    assertTrue(env.contains("GREETING=hello world, 100% sure"), "" + env);
    // Kubernetes expands $(VAR) and reads $$ as $: every $ is doubled
    assertTrue(env.contains("PRICE=$$5 or 50%"), "" + env);
    assertTrue(env.contains("QUOTE=say \"hi\" and $$HOME"), "" + env);
    assertEquals(
        List.of("/bin/sh", "-c", "echo migrated $$PMJ_PROCESS_ID"),
        strings(container(doc("migrate.yaml")).get("command")));
  }

  @Test
  void probesStopAndMemoryBecomeTheirFields() {
    JsonNode api = container(doc("api.yaml"));
    assertEquals("/health?deep=1", api.at("/readinessProbe/httpGet/path").asText());
    assertEquals(8000, api.at("/readinessProbe/httpGet/port").asInt());
    assertTrue(api.at("/readinessProbe/httpGet/host").isMissingNode(), "localhost: no host");
    assertEquals(1, api.at("/readinessProbe/periodSeconds").asInt());
    assertEquals(1, api.at("/readinessProbe/timeoutSeconds").asInt(), "500ms rounds up");

    JsonNode db = doc("db.yaml");
    assertEquals(5432, container(db).at("/readinessProbe/tcpSocket/port").asInt());
    assertEquals(2, container(db).at("/readinessProbe/timeoutSeconds").asInt());
    assertEquals("512Mi", container(db).at("/resources/limits/memory").asText());
    assertEquals(30, db.at("/spec/template/spec/terminationGracePeriodSeconds").asInt());

    assertTrue(container(doc("tail.yaml")).path("readinessProbe").isMissingNode());
  }

  @Test
  void whatKubernetesCannotDoIsListedAndWrittenInTheHeaders() throws Exception {
    assertEquals(ExportFixture.shopNotCarried("kubernetes", dir), out.notCarried());
    for (String line : out.notCarried()) {
      String process = line.contains(": ") ? line.substring(0, line.indexOf(':')) : "";
      String file = process + ".yaml";
      if (out.files().containsKey(file)) {
        assertTrue(out.files().get(file).contains("\n# - " + line + "\n"), line);
      } else {
        // about the whole project: in every file
        for (String text : out.files().values()) assertTrue(text.contains("\n# - " + line + "\n"));
      }
    }
    for (String text : out.files().values()) {
      assertEquals(
          "# Generated by pmj export kubernetes from " + dir.resolve("pmj.yaml") + ".",
          text.lines().findFirst().orElseThrow());
    }
  }

  @Test
  void aStopCommandIsAPreStopHookAndADaemonIsNoted() throws Exception {
    Project p =
        ExportFixture.load(
            dir,
            """
            processes:
              pg:
                command: /usr/bin/pg_ctl start -D data
                daemon: true
                stopCommand: [/usr/bin/pg_ctl, stop, -D, data]
            """);
    Export.Output o = Export.kubernetes(p, IMAGE);
    JsonNode d = ExportFixture.tree(o.files().get("pg.yaml"));
    assertEquals(List.of(), validate(d));
    assertEquals(
        List.of("/usr/bin/pg_ctl", "stop", "-D", "data"),
        strings(container(d).at("/lifecycle/preStop/exec/command")));
    assertTrue(
        o.notCarried()
            .contains(
                "pg: daemon: true: a container ends when its main process exits; run the program"
                    + " in the foreground (its no-daemon option) as the container's command"),
        o.notCarried().toString());
  }

  @Test
  void namesBecomeDnsLabelsAndAChangedNameIsNoted() throws Exception {
    Project p =
        ExportFixture.load(
            dir,
            """
            name: My Shop!
            processes:
              Web_Front:
                command: /bin/sleep 1000
              web-front:
                command: /bin/sleep 1000
              api.v2:
                command: /bin/sleep 1000
                readiness:
                  http: https://api.internal:8443
                  interval: 2s
                  timeout: 1s
              check:
                command: /bin/sleep 1000
                restart: on-failure
                readiness:
                  exec: [/bin/test, -f, /tmp/ready]
            """);
    Export.Output o = Export.kubernetes(p, IMAGE);
    assertEquals(
        List.of("web-front.yaml", "web-front-2.yaml", "api-v2.yaml", "check.yaml"),
        List.copyOf(o.files().keySet()));
    assertTrue(
        o.notCarried()
            .contains(
                "Web_Front: named web-front in Kubernetes (names are DNS-1123 labels: lowercase"
                    + " letters, digits and -)"));
    assertTrue(
        o.notCarried()
            .contains(
                "web-front: named web-front-2 in Kubernetes (names are"
                    + " DNS-1123 labels: lowercase letters, digits and -)"));
    for (String text : o.files().values()) {
      JsonNode d = ExportFixture.tree(text);
      assertEquals(List.of(), validate(d));
      assertEquals("My-Shop", d.at("/metadata/labels/app.kubernetes.io~1part-of").asText());
    }
    JsonNode get =
        container(ExportFixture.tree(o.files().get("api-v2.yaml"))).at("/readinessProbe");
    assertEquals("api.internal", get.at("/httpGet/host").asText());
    assertEquals(8443, get.at("/httpGet/port").asInt());
    assertEquals("HTTPS", get.at("/httpGet/scheme").asText());
    assertEquals("/", get.at("/httpGet/path").asText());
    assertEquals(2, get.at("/periodSeconds").asInt());

    JsonNode check = ExportFixture.tree(o.files().get("check.yaml"));
    assertEquals("Job", check.get("kind").asText());
    assertTrue(check.at("/spec/backoffLimit").isMissingNode());
    assertEquals(
        List.of("/bin/test", "-f", "/tmp/ready"),
        strings(container(check).at("/readinessProbe/exec/command")));
    assertTrue(
        o.notCarried()
            .contains(
                "check: maxRetries -1 (no limit): the Job's backoffLimit keeps Kubernetes'"
                    + " default (6)"));
  }

  @Test
  void anImageIsRequired() throws Exception {
    Project p = ExportFixture.load(dir, ExportFixture.SHOP);
    assertThrows(IllegalArgumentException.class, () -> Export.kubernetes(p, " "));
    assertThrows(IllegalArgumentException.class, () -> Export.kubernetes(p, null));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
