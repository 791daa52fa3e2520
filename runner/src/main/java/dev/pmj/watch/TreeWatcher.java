package dev.pmj.watch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** The OS side of watching: one folder tree, recursively, skipping folders as told. */
interface TreeWatcher {
  /** What a watch reports, on the watch's own thread. */
  interface Events {
    /** Every folder not skipped is registered; {@code folders} of them. */
    void registered(int folders);

    /** A file or folder was created, modified, deleted or renamed. */
    void changed(Path path, boolean directory);

    /** The OS dropped events: something changed, which is unknown. */
    void overflow();

    /** A folder could not be read or registered (permissions, the OS's watch limit). */
    void failed(Path path, IOException e);
  }

  /** Which paths the watch leaves out; folders left out are never registered with the OS. */
  interface Filter {
    boolean ignored(Path path, boolean directory);

    /** The same, for an entry whose parent folders are known not to be ignored. */
    default boolean ignoredEntry(Path path, boolean directory) {
      return ignored(path, directory);
    }
  }

  /** One watched tree. */
  interface Watch extends Closeable {
    /**
     * Registers the tree, reports {@link Events#registered}, then reports changes until {@link
     * #close()}; returns then. Throws when the root itself cannot be registered.
     */
    void run() throws IOException;
  }

  /** A watch of {@code root} (a real path to a folder), not yet running. */
  Watch open(Path root, Filter filter, Events events) throws IOException;
}
