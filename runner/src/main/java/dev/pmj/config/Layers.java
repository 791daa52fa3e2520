package dev.pmj.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The files a project was read from, merged in order (see the README's "Team files").
 *
 * @param given the files the user gave (-f, in order), or the one found; reload reads these again
 * @param read the files merged, in order: {@code given}, then the override file found beside a
 *     single file
 * @param watched the files whose change reloads: {@code given} and every override file name beside
 *     a single file, present or not (one created later is read by the next reload)
 * @param origins where each value was written ({@code FILE:LINE}), by its key path
 */
public record Layers(
    List<Path> given, List<Path> read, List<Path> watched, Map<List<String>, String> origins) {
  public Layers {
    given = List.copyOf(given);
    read = List.copyOf(read);
    watched = List.copyOf(watched);
    origins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(origins));
  }

  /** One file, nothing merged over it: for a project built without files. */
  static Layers of(Path file) {
    return new Layers(List.of(file), List.of(file), List.of(file), Map.of());
  }
}
