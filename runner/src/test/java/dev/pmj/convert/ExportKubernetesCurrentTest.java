package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests against the API types of a current Kubernetes release: the validators
 * that the npm package kubernetes-models 5.1.0 generates from Kubernetes' own OpenAPI document (it
 * has resource.k8s.io/v1, which came with Kubernetes 1.34). They check types, required fields and
 * formats; {@link ExportKubernetesTest} checks unknown keys with the strict v1.17 schema. The
 * package is installed with npm into target/ on first use (node and npm: .ci/run installs them).
 */
class ExportKubernetesCurrentTest {
  private static final String PACKAGE = "kubernetes-models@5.1.0";

  @TempDir Path dir;

  private static final String VALIDATE =
      """
      import { readFileSync } from "node:fs";
      import { Deployment } from "kubernetes-models/apps/v1/Deployment";
      import { Job } from "kubernetes-models/batch/v1/Job";
      import { Secret } from "kubernetes-models/v1/Secret";
      const kinds = { Deployment, Job, Secret };
      let bad = 0;
      for (const doc of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
        const Kind = kinds[doc.kind];
        if (!Kind) { console.log(`${doc.metadata?.name}: unknown kind ${doc.kind}`); bad++; continue; }
        try { new Kind(doc).validate(); console.log(`${doc.metadata.name}: valid ${doc.kind}`); }
        catch (e) { console.log(`${doc.metadata?.name}: ${e.message}`); bad++; }
      }
      process.exit(bad ? 1 : 0);
      """;

  private static Path models() throws Exception {
    Path prefix = Fixtures.root().resolve("runner/target/k8s-models");
    if (Files.isDirectory(prefix.resolve("node_modules/kubernetes-models/apps"))) return prefix;
    String npm = Tools.require("npm");
    Files.createDirectories(prefix);
    Process p =
        new ProcessBuilder(
                npm, "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund", PACKAGE)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "npm install " + PACKAGE + " did not finish");
    assertEquals(0, p.exitValue(), "npm install " + PACKAGE + ":\n" + out);
    return prefix;
  }

  private String validate(Path manifests, boolean expectValid) throws Exception {
    String node = Tools.require("node");
    Path prefix = models();
    ObjectMapper json = new ObjectMapper();
    ArrayNode docs = json.createArrayNode();
    try (var files = Files.list(manifests)) {
      for (Path f : files.sorted().toList()) {
        for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(Files.readString(f))) {
          if (doc != null) docs.add(json.valueToTree(doc));
        }
      }
    }
    Path input = dir.resolve("manifests.json");
    json.writeValue(input.toFile(), docs);
    // The script sits beside node_modules, so that its imports find the package.
    Path script = prefix.resolve("validate-" + ProcessHandle.current().pid() + ".mjs");
    Files.writeString(script, VALIDATE);
    try {
      Process p =
          new ProcessBuilder(node, script.toString(), input.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(expectValid ? 0 : 1, p.exitValue(), out);
      return out;
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static void write(Path to, Export.Output out) throws IOException {
    Files.createDirectories(to);
    for (Map.Entry<String, String> f : out.files().entrySet())
      Files.writeString(to.resolve(f.getKey()), f.getValue());
  }

  @Test
  void everyManifestIsValidForACurrentKubernetes() throws Exception {
    Project shop = ExportFixture.load(dir, ExportFixture.SHOP);
    Path to = dir.resolve("k8s");
    write(to, Export.kubernetes(shop, "registry.example/shop:1"));
    String out = validate(to, true);
    for (String line : out.strip().split("\n")) assertTrue(line.contains(": valid "), out);
    assertTrue(out.contains(": valid Deployment"), out);
    assertTrue(out.contains(": valid Job"), out);
  }

  @Test
  void theSecretOfEnvFilesAndItsUsersAreValidForACurrentKubernetes() throws Exception {
    Files.writeString(dir.resolve(".env"), "DB_PASSWORD=s3cret-pw\nMULTI=\"a\nb\"\n");
    Files.writeString(dir.resolve("worker.env"), "QUEUE_TOKEN=tok-9\n");
    Project shop = Fixtures.project(dir, Map.of(), ExportEnvFilesTest.YAML);
    Path to = dir.resolve("k8s");
    write(to, Export.kubernetes(shop, "registry.example/shop:1"));
    String out = validate(to, true);
    for (String line : out.strip().split("\n")) assertTrue(line.contains(": valid "), out);
    assertTrue(out.contains("shop-env: valid Secret"), out);
    assertTrue(out.contains("shop-worker-env: valid Secret"), out);
    assertTrue(out.contains("worker: valid Deployment"), out);
  }

  @Test
  void theValidatorRejectsAWrongType() throws Exception {
    Path to = Files.createDirectories(dir.resolve("wrong"));
    Files.writeString(
        to.resolve("web.yaml"),
        String.join(
            "\n",
            List.of(
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: web}",
                "spec:",
                "  replicas: three",
                "  selector: {matchLabels: {app: web}}",
                "  template:",
                "    metadata: {labels: {app: web}}",
                "    spec: {containers: [{name: web, image: x}]}",
                "")));
    String out = validate(to, false);
    assertTrue(out.contains("web: data/spec/replicas must be integer"), out);
  }
}
