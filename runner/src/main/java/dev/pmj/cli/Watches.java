package dev.pmj.cli;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.Supervisor;
import dev.pmj.watch.Change;
import dev.pmj.watch.DevWatch;
import dev.pmj.watch.FileWatch;
import dev.pmj.watch.OsTreeWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What {@code pmj up} watches: the files of the processes in devMode (restart one when its files
 * change), and the ecosystem file and its env files (reload). Both follow each reload.
 */
final class Watches implements AutoCloseable {
  private final Supervisor supervisor;
  private final EventStream events;
  private final boolean dev;
  private final Consumer<Path> onFileChanged;
  private final Set<String> watched = ConcurrentHashMap.newKeySet();
  private DevWatch devWatch;
  private List<ProcessSpec> devSpecs = List.of();
  private FileWatch fileWatch;
  private List<Path> files = List.of();

  /**
   * @param dev whether {@code --dev} turns devMode on where a process does not set it
   * @param onFileChanged called when the ecosystem file or an env file changed; null: no reload
   */
  Watches(Supervisor supervisor, EventStream events, boolean dev, Consumer<Path> onFileChanged) {
    this.supervisor = supervisor;
    this.events = events;
    this.dev = dev;
    this.onFileChanged = onFileChanged;
  }

  /** Whether a process restarts when its files change. */
  boolean watches(String id) {
    return watched.contains(id);
  }

  /** The processes in devMode among those running. */
  Set<String> watched() {
    return watched;
  }

  /** Watches what {@code project} asks for, among {@code running}, replacing earlier watches. */
  synchronized void follow(Project project, Set<String> running) {
    List<ProcessSpec> specs = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (ProcessSpec p : project.processes()) {
      if (running.contains(p.id()) && (p.devMode() || (dev && !p.devModeSet()))) {
        specs.add(p);
        ids.add(p.id());
      }
    }
    watched.retainAll(ids);
    watched.addAll(ids);
    // A devMode watch costs registrations: it is opened again only when what it watches changed.
    if (!same(specs, devSpecs)) {
      if (devWatch != null) devWatch.close();
      devWatch = specs.isEmpty() ? null : startDevWatch(project.dir(), specs);
      devSpecs = specs;
    }
    if (onFileChanged == null) return;
    Set<Path> wanted = new LinkedHashSet<>();
    wanted.add(project.file());
    wanted.addAll(project.envFile());
    for (ProcessSpec p : project.processes()) wanted.addAll(p.envFile());
    if (!new ArrayList<>(wanted).equals(files)) {
      if (fileWatch != null) fileWatch.close();
      files = new ArrayList<>(wanted);
      try {
        fileWatch = FileWatch.start(files, Duration.ofMillis(150), onFileChanged);
      } catch (IOException e) {
        fileWatch = null;
        events.publish(
            new ProcessEvent.Notice(
                null,
                "cannot watch "
                    + project.file()
                    + " for changes ("
                    + e.getMessage()
                    + "); pmj reload still works"));
      }
    }
  }

  private static boolean same(List<ProcessSpec> a, List<ProcessSpec> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).id().equals(b.get(i).id()) || !a.get(i).differences(b.get(i)).isEmpty())
        return false;
    }
    return true;
  }

  private DevWatch startDevWatch(Path projectDir, List<ProcessSpec> specs) {
    return DevWatch.start(
        projectDir,
        specs,
        new OsTreeWatcher(),
        new DevWatch.Sink() {
          @Override
          public void changed(Change change, String description) {
            try {
              supervisor.restartForChange(change.processId(), description);
            } catch (IllegalArgumentException e) {
              // removed by a reload meanwhile
            }
          }

          @Override
          public void notice(String processId, String text) {
            events.publish(new ProcessEvent.Notice(processId, text));
          }
        });
  }

  @Override
  public synchronized void close() {
    if (devWatch != null) devWatch.close();
    if (fileWatch != null) fileWatch.close();
    devWatch = null;
    fileWatch = null;
  }
}
