package dev.pmj.convert;

import dev.pmj.config.Project;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * {@code pmj export}: a loaded project as what runs the same processes in production (README,
 * "Coming from another runner"). Pure text from the model: nothing is written here, and nothing is
 * read.
 */
public final class Export {
  private Export() {}

  /**
   * Files to write (path relative to the target: a folder for systemd/kubernetes, the file name
   * itself for compose) and their text, plus what could not be carried over (one line each, also
   * written in each file's header comment).
   */
  public record Output(LinkedHashMap<String, String> files, List<String> notCarried) {
    public Output {
      files = new LinkedHashMap<>(files);
      notCarried = List.copyOf(notCarried);
    }
  }

  /**
   * systemd units: {@code pmj-PROJECT-ID.service} for each process id (instances are separate
   * units, not a template unit) and {@code pmj-PROJECT.target} that wants them all.
   */
  public static Output systemd(Project project) {
    return new SystemdUnits(Objects.requireNonNull(project, "project")).export();
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
