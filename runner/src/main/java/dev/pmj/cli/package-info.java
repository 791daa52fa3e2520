/**
 * The command line: picocli commands that parse arguments, call one use case, print its result and
 * set the exit code (0 ok, 1 failure, 2 usage or config error). The wiring place: it may use every
 * other package, and holds no logic that a view or the supervisor needs.
 */
package dev.pmj.cli;
