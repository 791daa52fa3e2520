package dev.pmj.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a few files (the ecosystem file and its env files) for reload: their folders are watched,
 * not the files, so an editor that saves by writing a new file and renaming it over the old one is
 * seen too. A burst of changes is one call, once quiet for {@code quiet}.
 */
public final class FileWatch implements AutoCloseable {
  private final WatchService service;
  private final Map<WatchKey, Path> folders = new HashMap<>();
  private final Set<Path> files = new HashSet<>();
  private final Consumer<Path> onChange;
  private final long quietNanos;
  private final Thread thread;

  private FileWatch(List<Path> watched, java.time.Duration quiet, Consumer<Path> onChange)
      throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.onChange = onChange;
    this.quietNanos = quiet.toNanos();
    for (Path f : watched) {
      Path file = f.toAbsolutePath().normalize();
      files.add(file);
      Path folder = file.getParent();
      if (!folders.containsValue(folder)) {
        WatchKey key =
            folder.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        folders.put(key, folder);
      }
    }
    this.thread = new Thread(this::run, "pmj-watch-file");
    this.thread.setDaemon(true);
  }

  /**
   * Watches {@code files}; {@code onChange} gets the first file that changed in each burst, on the
   * watch's own thread.
   */
  public static FileWatch start(List<Path> files, java.time.Duration quiet, Consumer<Path> onChange)
      throws IOException {
    FileWatch w = new FileWatch(files, quiet, onChange);
    w.thread.start();
    return w;
  }

  private void run() {
    Debouncer debouncer = new Debouncer();
    try {
      while (true) {
        long now = System.nanoTime();
        long next = debouncer.nextDue(now);
        WatchKey key =
            next == Long.MAX_VALUE
                ? service.take()
                : service.poll(Math.max(1, next - now), TimeUnit.NANOSECONDS);
        if (key != null) {
          Path folder = folders.get(key);
          for (WatchEvent<?> e : key.pollEvents()) {
            if (folder == null || !(e.context() instanceof Path name)) continue;
            Path changed = folder.resolve(name);
            if (files.contains(changed))
              debouncer.changed("file", changed, quietNanos, System.nanoTime());
          }
          key.reset();
        }
        for (Change c : debouncer.due(System.nanoTime())) {
          try {
            onChange.accept(c.first());
          } catch (RuntimeException e) {
            // a reload that failed says so itself; watching goes on
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // closed anyway
    }
    thread.interrupt();
  }
}
