package dev.pmj.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's test data, and a way to write ecosystem files. */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    return Path.of(System.getProperty("pmj.root", "..")).toAbsolutePath().normalize();
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
}
