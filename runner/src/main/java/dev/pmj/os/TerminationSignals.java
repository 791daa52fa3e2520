package dev.pmj.os;

import java.util.function.Consumer;

/**
 * SIGINT, SIGTERM and SIGHUP sent to pmj itself: each calls the handler (with the signal's name)
 * instead of ending the JVM at once, so that pmj can stop its processes first.
 */
public final class TerminationSignals {
  private TerminationSignals() {}

  public static void install(Consumer<String> handler) {
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(name));
      } catch (IllegalArgumentException e) {
        // Not available here (HUP on Windows): nothing to install.
      }
    }
  }
}
