package dev.pmj.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The projects the export tests convert, written into a test's folder and loaded. */
final class ExportFixture {
  private ExportFixture() {}

  /**
   * A small shop: a database with a tcp probe, a memory limit and restartDependents, an api that
   * waits for it (ready) and for a migration (completed), three workers, a one-off migration, and a
   * log follower with a logLine probe in devMode that does not start with the others. Variables
   * have blanks, quotes, % and $.
   */
  static final String SHOP =
      """
      version: 1
      name: shop
      env:
        GREETING: "hello world, 100% sure"
      processes:
        db:
          command: /bin/sleep 1000
          readiness:
            tcp: localhost:5432
          maxMemory: 512MB
          stopSignal: INT
          stopTimeout: 30s
          restartDependents: true
        api:
          command: python3 -m http.server 8000
          env:
            QUOTE: 'say "hi" and $HOME'
            PRICE: "$5 or 50%"
          dependsOn:
            db: ready
            migrate: completed
          readiness:
            http: http://localhost:8000/health?deep=1
            interval: 1s
            timeout: 500ms
          backoff: 2s
          maxRetries: 5
        worker:
          command: [/bin/sleep, "1000"]
          instances: 3
          restart: on-failure
          maxRetries: 2
          dependsOn:
            api: ready
        migrate:
          command: [/bin/sh, -c, "echo migrated $PMJ_PROCESS_ID"]
          restart: never
        tail:
          command: /bin/sleep 1000
          readiness:
            logLine: "listening on [0-9]+"
          devMode: true
          watchIgnore: ["*.tmp"]
          logFile: logs/tail.log
          logBuffer: 100
          autostart: false
          color: cyan
      """;

  /** Writes {@code yaml} as dir/pmj.yaml and loads it; fails the test on a problem. */
  static Project load(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir.resolve("logs"));
    return Fixtures.project(dir, Map.of(), yaml);
  }

  /** A YAML document as Jackson's tree, read by SnakeYAML as any YAML tool reads it. */
  static JsonNode tree(String yaml) {
    Object value = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new ObjectMapper().valueToTree(value);
  }

  /**
   * What an export of {@link #SHOP} in {@code dir} reports as not carried over, from
   * testdata/export/shop.not-carried.ENGINE.txt ({@code @DIR@} stands for the folder).
   */
  static List<String> shopNotCarried(String engine, Path dir) throws IOException {
    Path golden = schemaFile("shop.not-carried." + engine + ".txt");
    return Files.readString(golden).replace("@DIR@", dir.toString()).lines().toList();
  }

  /** A file of testdata/export. */
  static Path schemaFile(String name) {
    return Fixtures.root().resolve("testdata/export").resolve(name);
  }

  static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** The validator for {@code schema}, read from {@code file} (its base for relative $ids). */
  static JsonSchema schema(SpecVersion.VersionFlag draft, Path file, JsonNode schema) {
    return JsonSchemaFactory.getInstance(draft).getSchema(file.toUri(), schema);
  }

  /** The schema's complaints about {@code doc}, one line each; empty when it is valid. */
  static List<String> problems(JsonSchema schema, JsonNode doc) {
    return schema.validate(doc).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
