package dev.pmj.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.config.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Paths of the repository's test data, and a way to write ecosystem files. */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    return Path.of(System.getProperty("pmj.root", "..")).toAbsolutePath().normalize();
  }

  /** The testdata folder. */
  public static Path testdataDir() {
    return root().resolve("testdata");
  }

  /** A script of testdata/, as an absolute path string. */
  public static String testdata(String name) {
    return root().resolve("testdata").resolve(name).toString();
  }

  /**
   * Writes {@code pmj.yaml} into {@code dir}; {@code @TESTDATA@} stands for the testdata folder.
   */
  public static Path writeConfig(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("pmj.yaml");
    Files.writeString(file, yaml.replace("@TESTDATA@", root().resolve("testdata").toString()));
    return file;
  }

  /**
   * Writes {@code pmj.yaml} into {@code dir} and loads it as pmj does, with {@code environment} as
   * the OS environment.
   */
  public static LoadResult load(Path dir, Map<String, String> environment, String yaml)
      throws IOException {
    return new ConfigLoader(environment, dir, false).load(writeConfig(dir, yaml));
  }

  /** The project of a file that must load without a problem. */
  public static Project project(Path dir, Map<String, String> environment, String yaml)
      throws IOException {
    LoadResult r = load(dir, environment, yaml);
    assertEquals(List.of(), r.problems());
    return r.project();
  }
}
