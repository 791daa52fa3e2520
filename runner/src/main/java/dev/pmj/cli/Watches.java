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
import dev.pmj.watch.OwnFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code pmj up} watches: the files of the processes in devMode (restart one when its files
 * change), and the ecosystem file and its env files (reload), also those that do not exist yet (the
 * default {@code .env}). Both follow each reload. devMode never restarts a process for pmj's own
 * files: those reload reads, and those pmj writes (log files, its own output).
 */
final class Watches implements AutoCloseable {
  /** The ecosystem file or an env file changed; {@code created}: it did not exist before. */
  interface FileChanged {
    void changed(Path file, boolean created);
  }

  private final Supervisor supervisor;
  private final EventStream events;
  private final boolean dev;
  private final FileChanged onFileChanged;
  private final List<Path> outputs;
  private volatile OwnFiles own = OwnFiles.NONE;
  private final Set<Path> missing = ConcurrentHashMap.newKeySet();
  private final Set<String> watched = ConcurrentHashMap.newKeySet();
  private DevWatch devWatch;
  private List<ProcessSpec> devSpecs = List.of();
  private FileWatch fileWatch;
  private List<Path> files = List.of();

  /**
   * @param dev whether {@code --dev} turns devMode on where a process does not set it
   * @param onFileChanged called when the ecosystem file or an env file changed; null: no reload
   * @param outputs pmj's stdout and stderr where they are files: never a reason to restart
   */
  Watches(
      Supervisor supervisor,
      EventStream events,
      boolean dev,
      FileChanged onFileChanged,
      List<Path> outputs) {
    this.supervisor = supervisor;
    this.events = events;
    this.dev = dev;
    this.onFileChanged = onFileChanged;
    this.outputs = List.copyOf(outputs);
  }

  /** The files reload reads: the ecosystem files, then their env files, present or not yet. */
  private static List<Path> reloadFiles(Project project) {
    Set<Path> wanted = new LinkedHashSet<>();
    wanted.add(project.file());
    // Every file merged (-f a -f b), and the override file beside a single one, present or not.
    wanted.addAll(project.layers().watched());
    wanted.addAll(project.envFile());
    // Without envFile the default is .env when it exists: one created later is loaded by reload.
    // (envFile: [] cannot be told from no envFile here; it only costs a reload that changes
    // nothing when a .env appears.)
    if (project.envFile().isEmpty()) wanted.add(project.dir().resolve(".env"));
    for (ProcessSpec p : project.processes()) wanted.addAll(p.envFile());
    return new ArrayList<>(wanted);
  }

  /** pmj's own files in {@code project}: they never restart a process in devMode. */
  private OwnFiles ownFiles(Project project, List<Path> reloadFiles) {
    List<Path> logFiles = new ArrayList<>();
    for (ProcessSpec p : project.processes())
      if (p.logs().file() != null) logFiles.add(p.logs().file());
    List<Path> exact = new ArrayList<>(reloadFiles.subList(1, reloadFiles.size()));
    exact.addAll(outputs);
    return new OwnFiles(
        List.of(project.file()),
        exact,
        logFiles,
        project.logDir() == null ? List.of() : List.of(project.logDir()));
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
      if (running.contains(p.id()) && (p.watch().devMode() || (dev && !p.watch().devModeSet()))) {
        specs.add(p);
        ids.add(p.id());
      }
    }
    watched.retainAll(ids);
    watched.addAll(ids);
    List<Path> wanted = reloadFiles(project);
    own = ownFiles(project, wanted);
    // The file first: once a process says it is watching, the file is watched too.
    if (onFileChanged != null) watchFiles(project, wanted);
    // A devMode watch costs registrations: it is opened again only when what it watches changed.
    if (!same(specs, devSpecs)) {
      if (devWatch != null) devWatch.close();
      devWatch = specs.isEmpty() ? null : startDevWatch(project.dir(), specs);
      devSpecs = specs;
    }
  }

  private void watchFiles(Project project, List<Path> wanted) {
    missing.clear();
    for (Path f : wanted) if (!Files.exists(f)) missing.add(f.toAbsolutePath().normalize());
    if (wanted.equals(files)) return;
    if (fileWatch != null) fileWatch.close();
    files = wanted;
    try {
      fileWatch = FileWatch.start(files, Duration.ofMillis(150), this::fileChanged);
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

  /**
   * Also watches env files that a reload found missing (the file names them, they do not exist
   * yet), so that creating one reloads, until the next reload that works says what to watch. Those
   * in a folder that does not exist either are left to {@code pmj reload}.
   */
  synchronized void awaitCreated(List<Path> envFiles) {
    if (onFileChanged == null || fileWatch == null) return;
    List<Path> next = new ArrayList<>(files);
    for (Path f : envFiles) {
      Path file = f.toAbsolutePath().normalize();
      if (next.contains(file) || !Files.isDirectory(file.getParent())) continue;
      next.add(file);
      missing.add(file);
    }
    if (next.equals(files)) return;
    fileWatch.close();
    try {
      fileWatch = FileWatch.start(next, Duration.ofMillis(150), this::fileChanged);
      files = next;
    } catch (IOException e) {
      try {
        // As before, then: the file and the env files that exist.
        fileWatch = FileWatch.start(files, Duration.ofMillis(150), this::fileChanged);
      } catch (IOException again) {
        fileWatch = null;
      }
    }
  }

  private void fileChanged(Path file) {
    boolean created = missing.contains(file) && Files.exists(file);
    onFileChanged.changed(file, created);
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
        },
        path -> own.contains(path));
  }

  @Override
  public synchronized void close() {
    if (devWatch != null) devWatch.close();
    if (fileWatch != null) fileWatch.close();
    devWatch = null;
    fileWatch = null;
  }
}
