package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of readiness probe, by every engine: carried over as the engine's probe, or listed as
 * not carried over. A new kind of probe fails here until each engine says what it does with it.
 */
class ExportReadinessTest {
  private static final Map<Class<?>, String> PROBES =
      Map.of(
          Readiness.Http.class, "http: http://localhost:8000/",
          Readiness.Tcp.class, "tcp: localhost:5432",
          Readiness.Exec.class, "exec: [/bin/true]",
          Readiness.LogLine.class, "logLine: ready");

  @TempDir Path tmp;

  @Test
  void everyKindOfProbeIsCarriedOverOrListedByEveryEngine() throws Exception {
    for (Class<?> kind : Readiness.class.getPermittedSubclasses()) {
      String probe = PROBES.get(kind);
      assertTrue(probe != null, kind.getSimpleName() + ": say what each engine does with it");
      Path dir = Files.createDirectories(tmp.resolve(kind.getSimpleName()));
      Project p =
          ExportFixture.load(
              dir,
              """
              processes:
                app:
                  command: /bin/sleep 1000
                  readiness:
                    %s
              """
                  .formatted(probe));
      boolean noted;

      Export.Output systemd = Export.systemd(p, dir.resolve("units"));
      noted = systemd.notCarried().stream().anyMatch(l -> l.startsWith("app: readiness "));
      assertTrue(noted, "systemd has no probes: " + systemd.notCarried());

      Export.Output compose = Export.compose(p, "compose.yaml");
      JsonNode service =
          ExportFixture.tree(compose.files().get("compose.yaml")).at("/services/app");
      noted = compose.notCarried().stream().anyMatch(l -> l.contains("no log-line probe"));
      assertEquals(
          kind != Readiness.LogLine.class, service.has("healthcheck"), kind.getSimpleName());
      assertEquals(kind == Readiness.LogLine.class, noted, kind.getSimpleName());

      Export.Output k8s = Export.kubernetes(p, "img");
      JsonNode container =
          ExportFixture.tree(k8s.files().get("app.yaml")).at("/spec/template/spec/containers/0");
      noted = k8s.notCarried().stream().anyMatch(l -> l.contains("no log-line probe"));
      assertEquals(
          kind != Readiness.LogLine.class, container.has("readinessProbe"), kind.getSimpleName());
      assertEquals(kind == Readiness.LogLine.class, noted, kind.getSimpleName());
    }
  }
}
