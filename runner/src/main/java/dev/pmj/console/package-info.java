/**
 * The interactive console of {@code pmj up} in a terminal: JLine in raw mode, a status footer below
 * the scrolling output ({@link dev.pmj.console.Footer}, pure), single keys bound as data to actions
 * on the supervisor, focus on one process, input mode on an interactive one (its terminal on the
 * screen, the keys to it: {@link dev.pmj.console.InputMode}). It is one more subscriber of the
 * event stream and a source of commands; the supervisor knows nothing of it. Uses {@code config},
 * {@code supervisor} and {@code output} (the same line format as plain output).
 */
package dev.pmj.console;
