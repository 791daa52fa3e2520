package dev.pmj.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.helpers.NOPLogger;

/**
 * {@link TreeWatcher} on directory-watcher: inotify on Linux, FSEvents on macOS, the JDK's watch
 * service elsewhere. No file hashing (it would read every file at start); ignored folders are
 * skipped while walking, so they are never registered, now or when created later.
 */
public final class OsTreeWatcher implements TreeWatcher {
  @Override
  public Watch open(Path root, Filter filter, Events events) throws IOException {
    java.util.Set<Path> folders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // directory-watcher walks the root twice at start (once to learn its folders, once to
    // register them); the second walk replays the first one's folders instead of reading the
    // disk again. Later walks (folders created while watching) read the disk.
    List<Path> firstWalk = new ArrayList<>();
    int[] rootWalks = {0};
    FileTreeVisitor walker =
        (start, onDirectory, onFile) ->
            Files.walkFileTree(
                start,
                new SimpleFileVisitor<>() {
                  @Override
                  public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                      throws IOException {
                    if (!dir.equals(root) && filter.ignoredEntry(dir, true))
                      return FileVisitResult.SKIP_SUBTREE;
                    onDirectory.call(dir);
                    if (folders.add(dir) && rootWalks[0] == 1) firstWalk.add(dir);
                    return FileVisitResult.CONTINUE;
                  }

                  @Override
                  public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                      throws IOException {
                    onFile.call(
                        file); // without hashing, directory-watcher does nothing with files here
                    return FileVisitResult.CONTINUE;
                  }

                  @Override
                  public FileVisitResult visitFileFailed(Path file, IOException e)
                      throws IOException {
                    if (file.equals(root)) throw e;
                    if (e instanceof java.nio.file.NoSuchFileException)
                      return FileVisitResult.CONTINUE; // gone meanwhile
                    if (!filter.ignoredEntry(file, Files.isDirectory(file))) events.failed(file, e);
                    return FileVisitResult.CONTINUE;
                  }
                });
    FileTreeVisitor visitor =
        (start, onDirectory, onFile) -> {
          if (start.equals(root) && ++rootWalks[0] == 2) {
            for (Path dir : firstWalk) onDirectory.call(dir);
            firstWalk.clear();
            return;
          }
          walker.recursiveVisitFiles(start, onDirectory, onFile);
        };
    DirectoryChangeListener listener =
        new DirectoryChangeListener() {
          @Override
          public void onEvent(DirectoryChangeEvent e) {
            if (e.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
              events.overflow();
            } else if (e.path() != null && !filter.ignored(e.path(), e.isDirectory())) {
              events.changed(e.path(), e.isDirectory());
            }
          }

          @Override
          public void onException(Exception e) {
            IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
            events.failed(root, io);
          }
        };
    DirectoryWatcher watcher =
        DirectoryWatcher.builder()
            .path(root)
            .listener(listener)
            .fileHashing(false)
            .fileTreeVisitor(visitor)
            .logger(NOPLogger.NOP_LOGGER)
            .build();
    return new Watch() {
      @Override
      public void run() throws IOException {
        // Registration happens inside watchAsync; the executor is called once it is done and
        // runs the event loop right here, so this thread owns the watch until close().
        CompletableFuture<Void> f =
            watcher.watchAsync(
                loop -> {
                  events.registered(folders.size());
                  loop.run();
                });
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause =
              e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
          if (watcher.isClosed()) return;
          if (cause instanceof IOException io) throw io;
          if (cause instanceof UncheckedIOException u) throw u.getCause();
          throw new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void close() throws IOException {
        watcher.close();
      }
    };
  }
}
