package dev.pmj.os;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A started process: its pid (also its process group id), its combined stdout and stderr, and its
 * exit code (128 + n when a signal n ended it).
 */
public record Child(long pid, InputStream output, CompletableFuture<Integer> exit) {}
