package dev.pmj.convert;

import dev.pmj.config.Project;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code pmj export}: a loaded project as what runs the same processes in production (README,
 * "Coming from another runner"). Text from the model: nothing is written here, and nothing is read
 * but the env files, whose values the engines get from their own place for secrets.
 */
public final class Export {
  private Export() {}

  /**
   * Files to write (path relative to the target: a folder for systemd/kubernetes, the file name
   * itself for compose) and their text, plus what could not be carried over (one line each, also
   * written in each file's header comment), and which of the files hold the values of env files:
   * secrets, to be written readable by their owner only.
   */
  public record Output(
      LinkedHashMap<String, String> files, List<String> notCarried, Set<String> secrets) {
    public Output {
      files = new LinkedHashMap<>(files);
      notCarried = List.copyOf(notCarried);
      secrets = Set.copyOf(secrets);
      if (!files.keySet().containsAll(secrets)) {
        throw new IllegalArgumentException("secrets " + secrets + " not among " + files.keySet());
      }
    }

    Output(LinkedHashMap<String, String> files, List<String> notCarried) {
      this(files, notCarried, Set.of());
    }
  }

  /**
   * systemd units: {@code pmj-PROJECT-ID.service} for each process id (instances are separate
   * units, not a template unit) and {@code pmj-PROJECT.target} that wants them all; the variables
   * of env files go into {@code pmj-PROJECT.env} beside them, which the units read from {@code
   * dir}, the folder they are written to (absolute).
   */
  public static Output systemd(Project project, Path dir) {
    if (dir == null || !dir.isAbsolute()) {
      throw new IllegalArgumentException("systemd needs the absolute folder it is written to");
    }
    return new SystemdUnits(Objects.requireNonNull(project, "project"), dir).export();
  }

  /**
   * One Compose file, {@code fileName}: a service per process, instances as {@code
   * deploy.replicas}, the image from the variable {@code PMJ_IMAGE}.
   */
  public static Output compose(Project project, String fileName) {
    Objects.requireNonNull(fileName, "fileName");
    return new ComposeFile(Objects.requireNonNull(project, "project")).export(fileName);
  }

  /**
   * Kubernetes manifests, {@code NAME.yaml} for each process: a Deployment, or a Job for a process
   * that ends ({@code restart: never} or {@code on-failure}), running {@code image}.
   */
  public static Output kubernetes(Project project, String image) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("kubernetes needs an image (--image)");
    }
    return new KubernetesManifests(Objects.requireNonNull(project, "project"), image).export();
  }
}
